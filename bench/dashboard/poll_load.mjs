// What the dashboard's polling costs Raptor: /healthz latency and a producer's send
// rate on a queue holding MESSAGES messages, first alone, then while POLLERS open
// dashboards poll that queue's page as the browser does (whoami once, then every 3 s
// its stats, a peek of 10 and the queue list's page of 25 with their stats).
// POLL_EVERY_MS=0 polls without a pause: the monitor that asks for stats in a loop, which
// is what made one stats call per loop cut a producer to a fifth when stats scanned.
// A manual measurement, not part of scripts/bench or of any test:
//
//   RAPTOR_BINARY=build/bin/raptor MESSAGES=1000000 node bench/dashboard/poll_load.mjs
//   RAPTOR_BINARY=build/bin/raptor MESSAGES=1000000 POLL_EVERY_MS=0 node bench/dashboard/poll_load.mjs
//
// Prints one JSON line per phase.
import { startRaptor } from '../../tests/ui/raptor.mjs';

const MESSAGES = Number(process.env.MESSAGES ?? 1000000);
const POLLERS = Number(process.env.POLLERS ?? 1);
const PHASE_MS = Number(process.env.PHASE_MS ?? 20000);
const POLL_EVERY_MS = Number(process.env.POLL_EVERY_MS ?? 3000);
const TOKEN = 'bench-dashboard-token';

const raptor = await startRaptor({ binary: process.env.RAPTOR_BINARY, tokens: `ops:${TOKEN}:admin` });
const headers = { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/json' };
const api = (method, path, body) => fetch(`${raptor.url}/api/v1/${path}`, { method, headers, body: body && JSON.stringify(body) })
  .then(async (r) => { if (!r.ok) throw new Error(`${method} ${path}: ${r.status} ${await r.text()}`); return r.status === 204 ? null : r.json(); });

try {
  await api('PUT', 'queues/backlog');
  await api('PUT', 'queues/producer');
  const batch = Array.from({ length: 100 }, (_, i) => ({ body: `message-${i}` }));
  const started = Date.now();
  for (let sent = 0; sent < MESSAGES; sent += 100 * 8) {
    await Promise.all(Array.from({ length: 8 }, () => api('POST', 'queues/backlog/messages', { messages: batch })));
  }
  console.log(JSON.stringify({ phase: 'load', messages: MESSAGES, seconds: (Date.now() - started) / 1000 }));

  for (const polling of [false, true]) {
    let stop = false;
    const pollers = polling ? Array.from({ length: POLLERS }, async () => {
      await api('GET', 'queue/whoami?queue=backlog');
      while (!stop) {
        await Promise.all([
          api('GET', 'queues/backlog'),
          api('GET', 'queues/backlog/messages?state=visible&limit=10'),
          api('GET', 'queues?limit=25').then((list) => Promise.all(list.queues.map((q) => api('GET', `queues/${q}`)))),
        ]);
        if (POLL_EVERY_MS > 0) await new Promise((resolve) => setTimeout(resolve, POLL_EVERY_MS));
      }
    }) : [];
    const deadline = Date.now() + PHASE_MS;
    const latencies = [];
    let produced = 0;
    const producer = (async () => {
      while (Date.now() < deadline) {
        await api('POST', 'queues/producer/messages', { messages: [{ body: 'p' }] });
        produced += 1;
      }
    })();
    while (Date.now() < deadline) {
      const t = performance.now();
      await fetch(`${raptor.url}/healthz`).then((r) => r.text());
      latencies.push(performance.now() - t);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    await producer;
    stop = true;
    await Promise.all(pollers);
    latencies.sort((a, b) => a - b);
    const at = (q) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))].toFixed(2);
    console.log(JSON.stringify({
      phase: polling ? `with ${POLLERS} dashboard(s) polling every ${POLL_EVERY_MS} ms` : 'without dashboard',
      producer_sends_per_s: Math.round(produced / (PHASE_MS / 1000)),
      healthz_ms: { p50: at(0.5), p99: at(0.99), max: latencies[latencies.length - 1].toFixed(2) },
    }));
  }
} finally {
  await raptor.stop();
}
