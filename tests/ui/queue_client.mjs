// Queue's HTTP API as the test's fixtures call it (not through the page).
export function queueClient(baseUrl, token) {
  async function call(method, path, body) {
    const response = await fetch(`${baseUrl}/api/v1/${path}`, {
      method,
      headers: { Authorization: `Bearer ${token}`, ...(body ? { 'Content-Type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text}`);
    return text ? JSON.parse(text) : null;
  }
  const q = (name) => `queues/${encodeURIComponent(name)}`;
  return {
    call,
    putQueue: (name, attributes) => call('PUT', q(name), attributes),
    getQueue: (name) => call('GET', q(name)),
    send: (name, messages) => call('POST', `${q(name)}/messages`, { messages }),
    receive: (name, request) => call('POST', `${q(name)}/receive`, request),
    visibility: (name, receipts, seconds) => call('POST', `${q(name)}/visibility`, { receipts, visibility_timeout_s: seconds }),
  };
}
