// One queue: its stats, a throughput sparkline, its attributes, a peek at its messages,
// its dead-letter queue (peek and redrive), and, for a token with admin scope on it,
// pause/resume and purge. Buttons the token could not use are never shown
// (GET /queue/whoami?queue= says what it may do).
import { api } from './api.js';
import { h, fill } from './dom.js';
import * as format from './format.js';
import * as rates from './rates.js';
import { sparkline } from './sparkline.js';
import { peekPanel } from './peek.js';
import { redrivePanel } from './redrive.js';
import { confirmAction } from './confirm.js';

const STAT_CARDS = [
  ['visible', 'Ready', (s) => format.count(s.visible)],
  ['in_flight', 'In flight', (s) => format.count(s.in_flight)],
  ['delayed', 'Delayed', (s) => format.count(s.delayed)],
  ['oldest', 'Oldest ready', (s) => format.age(s.oldest_age_s)],
];

export function queueView(container, route, context) {
  const name = route.args[0];
  let may = null;       // what the token may do on this queue
  let panels = null;    // built once, on the first refresh
  let dlqName = null;

  fill(container, h('p', { class: 'muted' }, `Loading ${name}…`));

  function build(queue) {
    const admin = may.admin;
    const pause = h('button', { type: 'button', id: 'pause' });
    pause.addEventListener('click', () => togglePause(pause));
    const purge = h('button', { type: 'button', id: 'purge', class: 'danger', onclick: purgeQueue }, 'Purge…');
    // Pausing needs the server's `paused` attribute: a Queue without it shows no button.
    const supportsPause = typeof queue.attributes.paused === 'boolean';
    const cards = h('div', { class: 'cards', id: 'stats' },
      STAT_CARDS.map(([key, label]) => h('div', { class: 'card' }, h('div', { class: 'label' }, label), h('div', { class: 'value', 'data-stat': key }))),
      h('div', { class: 'card' }, h('div', { class: 'label' }, 'Sent/s'), h('div', { class: 'value', 'data-stat': 'send' })),
      h('div', { class: 'card' }, h('div', { class: 'label' }, 'Acked/s'), h('div', { class: 'value', 'data-stat': 'ack' })));
    const chart = h('div', { class: 'chart', id: 'throughput' });
    const attributes = h('dl', { class: 'attributes', id: 'attributes' });
    const badges = h('span', { id: 'badges' });
    const peek = admin ? peekPanel(name, 'peek') : null;
    panels = { cards, chart, attributes, badges, pause, peek, dlq: null };

    fill(container,
      h('div', { class: 'toolbar' },
        h('a', { href: '#/queues', class: 'muted' }, '← Queues'),
        h('h1', { id: 'queue-name' }, name), badges,
        h('span', { class: 'spacer' }),
        admin && supportsPause ? pause : null,
        admin ? purge : null),
      cards,
      h('section', { class: 'panel' }, h('h2', {}, 'Throughput'), chart),
      h('section', { class: 'panel' }, h('h2', {}, 'Attributes'), attributes),
      h('section', { class: 'panel' }, h('h2', {}, 'Messages'),
        peek ? peek.element : h('p', { class: 'muted', id: 'peek-denied' }, 'Peeking at messages needs a token with admin scope on this queue.')),
      dlqSection(queue));
  }

  function dlqSection(queue) {
    dlqName = queue.attributes.dead_letter?.queue ?? null;
    if (dlqName === null) return h('section', { class: 'panel' }, h('h2', {}, 'Dead letters'), h('p', { class: 'muted' }, 'No dead-letter queue is set.'));
    const depth = h('span', { id: 'dlq-depth' });
    const section = h('section', { class: 'panel', id: 'dlq' },
      h('h2', {}, 'Dead letters in ', h('a', { href: `#/queue/${encodeURIComponent(dlqName)}` }, dlqName)),
      h('p', {}, depth, ` messages after ${queue.attributes.dead_letter.max_receives} receives without an ack.`));
    // Peek and redrive need admin on the dead-letter queue; `may` holds this queue's.
    panels.dlq = { depth, section, peek: null, redrive: null };
    return section;
  }

  async function setUpDeadLetters() {
    const dlqMay = (await api.whoami(dlqName)).may;
    if (!dlqMay.admin) {
      panels.dlq.section.append(h('p', { class: 'muted' }, 'Peeking and redriving need admin scope on the dead-letter queue.'));
      return;
    }
    panels.dlq.peek = peekPanel(dlqName, 'dlq-peek', { states: ['visible'] });
    panels.dlq.redrive = redrivePanel(dlqName, { available: 0, onDone: () => context.refreshNow() });
    panels.dlq.section.append(panels.dlq.redrive.element, panels.dlq.peek.element);
  }

  async function togglePause(button) {
    const pausing = button.dataset.paused !== 'true';
    button.disabled = true;
    try {
      await api.updateQueue(name, { paused: pausing });
    } finally {
      button.disabled = false;
    }
    await context.refreshNow();
  }

  async function purgeQueue() {
    const confirmed = await confirmAction({
      id: 'confirm-purge',
      title: `Purge ${name}`,
      message: 'Every message of this queue (ready, in flight and delayed) is deleted for good.',
      action: 'Purge',
      expected: name,
    });
    if (!confirmed) return;
    const answer = await api.purge(name);
    context.notify(`Purged ${answer.purged.toLocaleString('en-US')} messages from ${name}.`);
    await context.refreshNow();
  }

  function show(queue) {
    const s = queue.stats;
    const rate = rates.record(name, s);
    for (const [key, , render] of STAT_CARDS) panels.cards.querySelector(`[data-stat="${key}"]`).textContent = render(s);
    panels.cards.querySelector('[data-stat="send"]').textContent = format.rate(rate.send);
    panels.cards.querySelector('[data-stat="ack"]').textContent = format.rate(rate.ack);

    const points = rates.history(name);
    fill(panels.chart, typeof s.sent_total === 'number'
      ? [sparkline([
          { values: points.map((p) => p.send), className: 'send', label: 'sent' },
          { values: points.map((p) => p.ack), className: 'ack', label: 'acked' },
        ], `Sent and acked per second, last ${points.length} refreshes`),
        h('p', { class: 'legend' }, h('span', { class: 'send' }, '■ sent/s'), ' ', h('span', { class: 'ack' }, '■ acked/s'),
          ` over the last ${points.length} refreshes`)]
      : h('p', { class: 'muted' }, 'Throughput appears once this Queue reports sent and acked totals in its stats.'));

    const a = queue.attributes;
    const paused = a.paused === true;
    fill(panels.badges, a.fifo ? h('span', { class: 'badge' }, 'FIFO') : null, paused ? h('span', { class: 'badge paused', id: 'paused-badge' }, 'paused') : null);
    panels.pause.dataset.paused = String(paused);
    panels.pause.textContent = paused ? 'Resume' : 'Pause';
    const entries = [
      ['Visibility timeout', `${a.visibility_timeout_s} s`],
      ['Retention', format.age(a.retention_s)],
      ['Delivery delay', `${a.delay_s} s`],
      ['Max message size', `${format.count(a.max_message_bytes)} bytes`],
      ['Dead-letter queue', a.dead_letter ? `${a.dead_letter.queue} after ${a.dead_letter.max_receives} receives` : 'none'],
      ['FIFO', a.fifo ? `yes, dedup window ${a.dedup_window_s} s` : 'no'],
      ['Paused', typeof a.paused === 'boolean' ? (paused ? 'yes: receives get nothing' : 'no') : format.DASH],
      ['Created', queue.created_at],
    ];
    fill(panels.attributes, entries.flatMap(([term, value]) => [h('dt', {}, term), h('dd', {}, value)]));
  }

  async function refresh() {
    if (may === null) may = (await api.whoami(name)).may;
    const queue = await api.getQueue(name);
    if (panels === null) {
      build(queue);
      if (dlqName !== null) await setUpDeadLetters();
    }
    show(queue);
    const work = [];
    if (panels.peek) work.push(panels.peek.refresh());
    if (panels.dlq) {
      work.push(api.getQueue(dlqName).then((dlq) => {
        panels.dlq.depth.textContent = format.count(dlq.stats.visible);
        panels.dlq.redrive?.update(dlq.stats.visible);
      }));
      if (panels.dlq.peek) work.push(panels.dlq.peek.refresh());
    }
    await Promise.all(work);
  }

  return { refresh };
}
