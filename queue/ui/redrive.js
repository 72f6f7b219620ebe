// Redrive: moves dead letters of `dlq` back to the queues they came from, in chunks
// of at most CHUNK messages per call (the API's `max`), so no single call holds the
// engine long, with a confirmation first and a progress bar while it runs.
import { api } from './api.js';
import { h } from './dom.js';
import { confirmAction } from './confirm.js';

const CHUNK = 100;

export function redrivePanel(dlq, { available, onDone }) {
  const count = h('input', { type: 'number', id: 'redrive-count', min: 1, step: 1, value: 1, 'aria-label': 'Messages to redrive' });
  const start = h('button', { type: 'button', id: 'redrive', class: 'danger' }, 'Redrive…');
  const progress = h('progress', { id: 'redrive-progress', max: 1, value: 0, hidden: true });
  const status = h('span', { id: 'redrive-status', class: 'muted', role: 'status' });
  const element = h('div', { class: 'redrive' },
    h('label', {}, 'Messages ', count), start, progress, status);
  let edited = false;
  let running = false;
  count.addEventListener('input', () => { edited = true; });

  start.addEventListener('click', async () => {
    const wanted = Math.floor(Number(count.value));
    if (!(wanted >= 1)) {
      status.textContent = 'Enter how many messages to move (1 or more).';
      return;
    }
    const confirmed = await confirmAction({
      id: 'confirm-redrive',
      title: `Redrive ${dlq}`,
      message: `Move up to ${wanted.toLocaleString('en-US')} messages from ${dlq} back to the queues they came from?`,
      action: 'Redrive',
    });
    if (!confirmed) return;
    running = true;
    start.disabled = true;
    progress.hidden = false;
    progress.max = wanted;
    progress.value = 0;
    let moved = 0;
    try {
      while (moved < wanted) {
        const max = Math.min(CHUNK, wanted - moved);
        const answer = await api.redrive(dlq, max);
        moved += answer.moved;
        progress.value = moved;
        status.textContent = `Moved ${moved.toLocaleString('en-US')} of ${wanted.toLocaleString('en-US')}…`;
        if (answer.moved < max) break;  // nothing more to move
      }
      status.textContent = `Moved ${moved.toLocaleString('en-US')} message${moved === 1 ? '' : 's'}.`;
    } catch (error) {
      status.textContent = `Stopped after ${moved} moved: ${error.message}`;
    } finally {
      running = false;
      start.disabled = false;
      edited = false;
      onDone();
    }
  });

  // Proposes what the dead-letter queue holds, unless the operator typed a number.
  function update(visible) {
    if (!edited) count.value = Math.max(1, visible);
    start.disabled = running || visible === 0;
  }
  update(available);
  return { element, update };
}
