// The dashboard's shell: sign-in (the token, once per tab), the hash routes, and the
// live refresh of whichever view is open.
//   #/queues[?prefix=]      all queues             (queues_view.js)
//   #/queue/<name>          one queue              (queue_view.js)
//   #/find?queue=&id=       a message by id        (find_view.js)
import { api, token, ApiError } from './api.js';
import { h, fill } from './dom.js';
import { LiveRefresh } from './live.js';
import { queuesView } from './queues_view.js';
import { queueView } from './queue_view.js';
import { findView } from './find_view.js';

const REFRESH_MS = 3000;
const VIEWS = { queues: queuesView, queue: queueView, find: findView };

const elements = {
  view: document.getElementById('view'),
  signIn: document.getElementById('sign-in'),
  signInForm: document.getElementById('sign-in-form'),
  signInError: document.getElementById('sign-in-error'),
  token: document.getElementById('token'),
  principal: document.getElementById('principal'),
  signOut: document.getElementById('sign-out'),
  live: document.getElementById('live'),
};

let current = null;  // the open view: {refresh()}
const banner = h('p', { class: 'banner', id: 'banner', role: 'status', hidden: true });

const live = new LiveRefresh(REFRESH_MS, () => current?.refresh(), (state, detail) => {
  if (state === 'error') return failed(detail);
  elements.live.dataset.state = state;
  elements.live.textContent = state === 'hidden' ? 'paused while hidden' : `live · ${detail.toLocaleTimeString('en-GB')}`;
});

const context = {
  refreshNow: () => live.now(),
  navigate: (hash) => { window.location.hash = hash; },
  notify(message) {
    banner.textContent = message;
    banner.className = 'banner';
    banner.hidden = false;
  },
};

function failed(error) {
  if (error instanceof ApiError && error.status === 401) {
    signOut('That token is not accepted (401). Enter another.');
    return;
  }
  elements.live.dataset.state = 'error';
  elements.live.textContent = 'refresh failed';
  banner.textContent = error instanceof ApiError ? `${error.message} (${error.code})` : String(error.message ?? error);
  banner.className = 'banner error';
  banner.hidden = false;
}

function route() {
  const [path, search = ''] = (window.location.hash.slice(1) || '/queues').split('?');
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  return { name: parts[0] ?? 'queues', args: parts.slice(1), params: new URLSearchParams(search) };
}

function open() {
  const where = route();
  const view = VIEWS[where.name] ?? queuesView;
  for (const link of document.querySelectorAll('[data-nav]')) {
    link.classList.toggle('active', link.dataset.nav === where.name);
  }
  banner.hidden = true;
  const container = h('div', { class: 'content' });
  fill(elements.view, banner, container);
  current = view(container, where, context);
  live.now();
}

async function signIn() {
  const me = await api.whoami();
  elements.principal.textContent = me.auth ? `signed in as ${me.principal}` : 'auth off (loopback)';
  elements.signOut.hidden = !me.auth;
  elements.signIn.hidden = true;
  elements.view.hidden = false;
  window.addEventListener('hashchange', open);
  open();
}

function signOut(message = '') {
  token.forget();
  live.stop();
  current = null;
  window.removeEventListener('hashchange', open);
  elements.view.hidden = true;
  elements.signOut.hidden = true;
  elements.principal.textContent = '';
  elements.live.textContent = '';
  elements.signInError.textContent = message;
  elements.signIn.hidden = false;
  elements.token.focus();
}

elements.signInForm.addEventListener('submit', async (event) => {
  event.preventDefault();
  token.set(elements.token.value.trim());
  elements.token.value = '';
  try {
    await signIn();
  } catch (error) {
    signOut(error instanceof ApiError && error.status === 401 ? 'That token is not accepted (401).' : String(error.message));
  }
});
elements.signOut.addEventListener('click', () => signOut());

// A token already given in this tab is used at once; otherwise ask, and call nothing
// before it is given (an unauthenticated call would only fail).
if (token.get() === null) {
  signOut();
} else {
  signIn().catch((error) => signOut(String(error.message)));
}
