// A peek at a queue's messages by state (visible, in flight, delayed), a page at a
// time: nothing is leased or changed. Pages follow the API's next_cursor when it
// answers one; each page holds at most PAGE_SIZE messages.
import { api } from './api.js';
import { h, fill } from './dom.js';
import * as format from './format.js';
import { turnPage } from './pager.js';

const PAGE_SIZE = 10;
const BODY_PREVIEW = 200;
const STATES = [['visible', 'Ready'], ['in_flight', 'In flight'], ['delayed', 'Delayed']];

// A panel peeking at `queue`; `id` prefixes its elements' ids ("peek", "dlq-peek").
export function peekPanel(queue, id, { states = STATES.map(([s]) => s) } = {}) {
  const state = { state: states[0], cursors: [undefined], page: 0, nextCursor: null };
  const tabs = h('div', { class: 'tabs', role: 'tablist' }, STATES.filter(([s]) => states.includes(s)).map(([value, label]) =>
    h('button', { type: 'button', role: 'tab', 'data-state': value, id: `${id}-${value}`, onclick: () => choose(value) }, label)));
  const rows = h('tbody', { id: `${id}-rows` });
  const previous = h('button', { type: 'button', onclick: () => turn(-1) }, '← Previous');
  const next = h('button', { type: 'button', id: `${id}-next`, onclick: () => turn(1) }, 'Next →');
  const pageLabel = h('span', { class: 'muted' });
  const element = h('div', { class: 'peek', id },
    states.length > 1 ? tabs : null,
    h('table', { class: 'grid messages' },
      h('thead', {}, h('tr', {}, ['ID', 'Sent', 'Receives', 'Visible at', 'Group', 'Body', 'Attributes'].map((t) => h('th', { scope: 'col' }, t)))),
      rows),
    h('div', { class: 'pager' }, previous, pageLabel, next));

  function choose(value) {
    Object.assign(state, { state: value, cursors: [undefined], page: 0 });
    refresh();
  }

  function turn(step) {
    if (turnPage(state, step)) refresh();
  }

  async function refresh() {
    const answer = await api.peek(queue, { state: state.state, limit: PAGE_SIZE, cursor: state.cursors[state.page] });
    state.nextCursor = answer.next_cursor ?? null;
    for (const tab of tabs.children) tab.setAttribute('aria-selected', String(tab.dataset.state === state.state));
    fill(rows, answer.messages.length === 0
      ? h('tr', {}, h('td', { colspan: 7, class: 'empty' }, 'No messages in this state.'))
      : answer.messages.map((m) => h('tr', { 'data-message': m.id },
          h('td', { class: 'mono' }, h('a', { href: `#/find?queue=${encodeURIComponent(queue)}&id=${encodeURIComponent(m.id)}` }, m.id)),
          h('td', {}, m.sent_at),
          h('td', { class: 'number' }, format.count(m.receive_count)),
          h('td', {}, m.visible_at ?? format.DASH),
          h('td', {}, m.group_id ?? format.DASH),
          h('td', { class: 'body mono', title: m.body }, m.body.length > BODY_PREVIEW ? `${m.body.slice(0, BODY_PREVIEW)}…` : m.body),
          h('td', { class: 'mono' }, Object.keys(m.attributes ?? {}).length ? JSON.stringify(m.attributes) : format.DASH))));
    previous.disabled = state.page === 0;
    next.disabled = !state.nextCursor;
    pageLabel.textContent = `Page ${state.page + 1}`;
  }

  return { element, refresh };
}
