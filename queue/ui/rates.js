// Send and ack rates from the deltas of each queue's stats counters (sent_total,
// acked_total) between two refreshes, and a short history of them per queue for the
// sparkline. Before the server reports those counters every rate is null (shown "—").
// Bounded: at most MAX_QUEUES queues and MAX_POINTS points each.

const MAX_QUEUES = 500;
const MAX_POINTS = 60;

const samples = new Map();  // queue -> {last: {t, sent, acked}, points: [{t, send, ack}]}

function counters(stats) {
  if (typeof stats.sent_total !== 'number' || typeof stats.acked_total !== 'number') return null;
  return { sent: stats.sent_total, acked: stats.acked_total };
}

// Records `stats` of `queue` seen at `now` (ms) and answers {send, ack} per second, or nulls.
export function record(queue, stats, now = Date.now()) {
  const current = counters(stats);
  if (current === null) return { send: null, ack: null };
  let entry = samples.get(queue);
  if (entry === undefined) {
    if (samples.size >= MAX_QUEUES) samples.delete(samples.keys().next().value);
    entry = { last: null, points: [] };
    samples.set(queue, entry);
  }
  const last = entry.last;
  entry.last = { t: now, ...current };
  // A counter that went down means the queue was re-created (or the server restarted).
  if (last === null || now <= last.t || current.sent < last.sent || current.acked < last.acked) {
    return { send: null, ack: null };
  }
  const seconds = (now - last.t) / 1000;
  const point = { t: now, send: (current.sent - last.sent) / seconds, ack: (current.acked - last.acked) / seconds };
  entry.points.push(point);
  if (entry.points.length > MAX_POINTS) entry.points.shift();
  return { send: point.send, ack: point.ack };
}

// The last rates computed for `queue` ({send, ack}, or nulls).
export function latest(queue) {
  const points = samples.get(queue)?.points ?? [];
  const point = points[points.length - 1];
  return point ? { send: point.send, ack: point.ack } : { send: null, ack: null };
}

export function history(queue) {
  return samples.get(queue)?.points ?? [];
}
