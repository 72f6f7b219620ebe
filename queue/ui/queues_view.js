// All queues: depth by state, oldest age, send and ack rates; filtered by prefix,
// paginated by the API's cursor (at most PAGE_SIZES' largest per page, so a refresh
// costs one list call and one stats call per row), sortable within the page.
import { api } from './api.js';
import { h, fill } from './dom.js';
import * as format from './format.js';
import * as rates from './rates.js';
import { turnPage } from './pager.js';

const PAGE_SIZES = [10, 25, 50];

const COLUMNS = [
  { key: 'name', label: 'Queue', value: (r) => r.name, text: true },
  { key: 'visible', label: 'Ready', value: (r) => r.stats?.visible, show: format.count },
  { key: 'in_flight', label: 'In flight', value: (r) => r.stats?.in_flight, show: format.count },
  { key: 'delayed', label: 'Delayed', value: (r) => r.stats?.delayed, show: format.count },
  { key: 'oldest', label: 'Oldest ready', value: (r) => r.stats?.oldest_age_s, show: format.age },
  { key: 'send', label: 'Sent/s', value: (r) => r.rates.send, show: format.rate },
  { key: 'ack', label: 'Acked/s', value: (r) => r.rates.ack, show: format.rate },
];

export function queuesView(container, route, context) {
  const state = {
    prefix: route.params.get('prefix') ?? '',
    pageSize: PAGE_SIZES[1],
    cursors: [undefined],  // cursors[i]: the cursor that fetches page i
    page: 0,
    nextCursor: null,
    sort: { key: 'name', descending: false },
    rows: [],
  };

  const filter = h('input', { type: 'search', id: 'prefix', placeholder: 'Filter by prefix', value: state.prefix,
    spellcheck: 'false', 'aria-label': 'Filter by prefix' });
  let typing = null;  // one listing per pause in typing, not one per key
  filter.addEventListener('input', () => {
    clearTimeout(typing);
    typing = setTimeout(() => {
      state.prefix = filter.value.trim();
      firstPage();
    }, 250);
  });
  const size = h('select', { id: 'page-size', 'aria-label': 'Queues per page' },
    PAGE_SIZES.map((n) => h('option', { value: n, selected: n === state.pageSize }, `${n} per page`)));
  size.addEventListener('change', () => {
    state.pageSize = Number(size.value);
    firstPage();
  });
  const head = h('tr', {}, COLUMNS.map((column) => h('th', { scope: 'col', class: column.text ? null : 'number' },
    h('button', { type: 'button', class: 'sort', 'data-sort': column.key, onclick: () => sortBy(column.key) }, column.label))));
  const body = h('tbody', { id: 'queue-rows' });
  const previous = h('button', { type: 'button', id: 'previous-page', onclick: () => turn(-1) }, '← Previous');
  const next = h('button', { type: 'button', id: 'next-page', onclick: () => turn(1) }, 'Next →');
  const pageLabel = h('span', { class: 'muted', id: 'page-label' });

  fill(container,
    h('div', { class: 'toolbar' }, h('h1', {}, 'Queues'), h('span', { class: 'spacer' }), filter, size),
    h('table', { class: 'grid', id: 'queues' }, h('thead', {}, head), body),
    h('div', { class: 'pager' }, previous, pageLabel, next));

  function firstPage() {
    state.cursors = [undefined];
    state.page = 0;
    context.refreshNow();
  }

  function turn(step) {
    if (turnPage(state, step)) context.refreshNow();
  }

  function sortBy(key) {
    state.sort = { key, descending: state.sort.key === key ? !state.sort.descending : key !== 'name' };
    draw();
  }

  async function refresh() {
    const list = await api.listQueues({ prefix: state.prefix, limit: state.pageSize, cursor: state.cursors[state.page] });
    state.nextCursor = list.next_cursor ?? null;
    const now = Date.now();
    state.rows = await Promise.all(list.queues.map(async (name) => {
      try {
        const queue = await api.getQueue(name);
        return { name, stats: queue.stats, paused: queue.attributes?.paused === true, rates: rates.record(name, queue.stats, now) };
      } catch (error) {
        if (error.status === 404) return { name, stats: null, gone: true, rates: {} };  // deleted since the listing
        throw error;
      }
    }));
    draw();
  }

  function draw() {
    const column = COLUMNS.find((c) => c.key === state.sort.key);
    const sign = state.sort.descending ? -1 : 1;
    const rows = [...state.rows].sort((a, b) => {
      const x = column.value(a);
      const y = column.value(b);
      if (x === y) return a.name.localeCompare(b.name);
      if (x === undefined || x === null) return 1;  // unknowns last either way
      if (y === undefined || y === null) return -1;
      return sign * (column.text ? String(x).localeCompare(String(y)) : x - y);
    });
    for (const button of head.querySelectorAll('button.sort')) {
      const active = button.dataset.sort === state.sort.key;
      button.parentElement.setAttribute('aria-sort', active ? (state.sort.descending ? 'descending' : 'ascending') : 'none');
    }
    fill(body, rows.length === 0
      ? h('tr', {}, h('td', { colspan: COLUMNS.length, class: 'empty' },
          state.prefix ? `No queue starts with "${state.prefix}".` : 'No queues yet.'))
      : rows.map((row) => h('tr', { 'data-queue': row.name },
          h('td', {}, h('a', { href: `#/queue/${encodeURIComponent(row.name)}` }, row.name),
            row.paused ? h('span', { class: 'badge paused' }, 'paused') : null,
            row.gone ? h('span', { class: 'badge' }, 'deleted') : null),
          COLUMNS.slice(1).map((c) => h('td', { class: 'number', 'data-column': c.key }, c.show(c.value(row)))))));
    previous.disabled = state.page === 0;
    next.disabled = !state.nextCursor;
    pageLabel.textContent = `Page ${state.page + 1}`;
  }

  return { refresh };
}
