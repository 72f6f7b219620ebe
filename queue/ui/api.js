// Queue's public API as the dashboard calls it: the operator's bearer token (kept in
// this tab's sessionStorage), JSON in and out, Queue's errors as ApiError.

const TOKEN_KEY = 'queue.dashboard.token';

// The page is served at <mount>/queue/ui/; the API is <mount>/queues, <mount>/queue/whoami.
const API_ROOT = new URL('../../', window.location.href).pathname;

export class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

export const token = {
  // null: never asked in this tab; '' : asked, and Queue runs without tokens.
  get() { return window.sessionStorage.getItem(TOKEN_KEY); },
  set(value) { window.sessionStorage.setItem(TOKEN_KEY, value); },
  forget() { window.sessionStorage.removeItem(TOKEN_KEY); },
};

async function call(method, path, body) {
  const headers = { Accept: 'application/json' };
  const bearer = token.get();
  if (bearer) headers.Authorization = `Bearer ${bearer}`;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const response = await fetch(API_ROOT + path, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
    cache: 'no-store',
  });
  if (response.status === 204) return null;
  const text = await response.text();
  let json = null;
  try { json = text ? JSON.parse(text) : null; } catch { json = null; }
  if (!response.ok) {
    const error = json?.error ?? {};
    throw new ApiError(response.status, error.code ?? 'http_error', error.message ?? `HTTP ${response.status}`);
  }
  return json;
}

const q = (name) => `queues/${encodeURIComponent(name)}`;

function query(params) {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== '') search.set(key, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}

export const api = {
  whoami: (queue) => call('GET', `queue/whoami${query({ queue })}`),
  listQueues: ({ prefix, limit, cursor }) => call('GET', `queues${query({ prefix, limit, cursor })}`),
  getQueue: (name) => call('GET', q(name)),
  updateQueue: (name, attributes) => call('PUT', q(name), attributes),
  purge: (name) => call('POST', `${q(name)}/purge`),
  redrive: (name, max) => call('POST', `${q(name)}/redrive`, { max }),
  peek: (name, { state, limit, cursor }) => call('GET', `${q(name)}/messages${query({ state, limit, cursor })}`),
  findMessage: (name, id) => call('GET', `${q(name)}/messages/${encodeURIComponent(id)}`),
};
