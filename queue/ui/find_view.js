// Find a message by id in a queue (GET /queues/{q}/messages/{id}): its state, body,
// attributes and deliveries, without leasing it.
import { api } from './api.js';
import { h, fill } from './dom.js';
import * as format from './format.js';

export function findView(container, route, context) {
  const queue = h('input', { type: 'text', id: 'find-queue', required: true, spellcheck: 'false', value: route.params.get('queue') ?? '' });
  const id = h('input', { type: 'text', id: 'find-id', required: true, spellcheck: 'false', value: route.params.get('id') ?? '' });
  const result = h('div', { id: 'find-result' });
  const form = h('form', { class: 'find' },
    h('label', {}, 'Queue ', queue), h('label', {}, 'Message id ', id), h('button', { type: 'submit' }, 'Find'));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    // The address says what was searched, so it can be shared and reloaded.
    context.navigate(`#/find?queue=${encodeURIComponent(queue.value.trim())}&id=${encodeURIComponent(id.value.trim())}`);
  });
  fill(container, h('div', { class: 'toolbar' }, h('h1', {}, 'Find a message')), h('section', { class: 'panel' }, form), result);

  async function search() {
    const q = route.params.get('queue');
    const messageId = route.params.get('id');
    if (!q || !messageId) return;
    let message;
    try {
      message = await api.findMessage(q, messageId);
    } catch (error) {
      // No such message (404) or no such id (400): an answer to show, not a failure.
      if (error.status !== 404 && error.status !== 400) throw error;
      fill(result, h('p', { class: 'panel', id: 'find-missing' }, error.message));
      return;
    }
    fill(result, h('section', { class: 'panel', id: 'found' },
      h('h2', {}, 'Message ', h('span', { class: 'mono' }, message.id), ' in ', h('a', { href: `#/queue/${encodeURIComponent(q)}` }, q)),
      h('dl', { class: 'attributes' },
        h('dt', {}, 'State'), h('dd', { id: 'found-state' }, message.state ?? format.DASH),
        h('dt', {}, 'Sent'), h('dd', {}, message.sent_at),
        h('dt', {}, 'Receives'), h('dd', {}, format.count(message.receive_count)),
        h('dt', {}, 'Visible at'), h('dd', {}, message.visible_at ?? format.DASH),
        h('dt', {}, 'Group'), h('dd', {}, message.group_id ?? format.DASH),
        h('dt', {}, 'Attributes'), h('dd', { class: 'mono' }, JSON.stringify(message.attributes ?? {}))),
      h('h3', {}, 'Body'), h('pre', { class: 'body', id: 'found-body' }, message.body)));
  }

  // A message is looked up once, not on every refresh: its state is shown as found.
  let searched = false;
  return {
    async refresh() {
      if (searched) return;
      searched = true;
      await search();
    },
  };
}
