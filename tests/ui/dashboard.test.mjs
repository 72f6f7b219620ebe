// The dashboard in a real browser: Debian's chromium driven by playwright-core, against
// the real `raptor` binary with Queue mounted. Queues and messages are made through the
// API; the page must show their numbers, peek, redrive a dead letter, pause a queue,
// purge with a typed confirmation, find a message, hide every button from a token that
// could not use it, and stop refreshing while hidden. Any console error, page error,
// failed request or HTTP error answer fails the test.
//
//   RAPTOR_BINARY    the raptor binary (CTest sets it)
//   CHROMIUM         the browser (default /usr/bin/chromium; never downloaded)
//   SCREENSHOT_DIR   where each view's screenshot goes (CTest: the build tree;
//                    docs/screenshots/ to refresh the docs' pictures)
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { startRaptor } from './raptor.mjs';
import { queueClient } from './queue_client.mjs';

const OPS_TOKEN = 'ops-dashboard-token';
const VIEWER_TOKEN = 'viewer-dashboard-token';
const TOKENS = `ops:${OPS_TOKEN}:admin;viewer:${VIEWER_TOKEN}:receive@*`;
const screenshots = process.env.SCREENSHOT_DIR;

let raptor;
let browser;
let ops;
const problems = [];  // every console error, page error, failed request and HTTP error seen
const ids = {};

before(async () => {
  assert.ok(process.env.RAPTOR_BINARY, 'RAPTOR_BINARY must name the raptor binary');
  raptor = await startRaptor({ binary: process.env.RAPTOR_BINARY, tokens: TOKENS });
  ops = queueClient(raptor.url, OPS_TOKEN);

  // orders: 4 ready, 1 in flight, 2 delayed.
  await ops.putQueue('orders', { visibility_timeout_s: 600 });
  const sent = await ops.send('orders', [1, 2, 3, 4, 5].map((n) => ({ body: `{"order":${n}}`, attributes: { kind: 'order' } })));
  ids.firstOrder = sent.messages[0].id;
  const later = await ops.send('orders', [{ body: 'later-1', delay_s: 900 }, { body: 'later-2', delay_s: 900 }]);
  ids.delayed = later.messages[0].id;
  const leased = await ops.receive('orders', { max: 1 });
  assert.equal(leased.messages.length, 1);
  ids.leased = leased.messages[0].id;

  // payments: one message dead-lettered into payments-dlq (received once, given back, received again).
  await ops.putQueue('payments-dlq');
  await ops.putQueue('payments', { dead_letter: { queue: 'payments-dlq', max_receives: 1 } });
  await ops.send('payments', [{ body: 'card declined' }]);
  const first = await ops.receive('payments', { max: 1 });
  await ops.visibility('payments', [first.messages[0].receipt], 0);
  assert.equal((await ops.receive('payments', { max: 1 })).messages.length, 0);
  assert.equal((await ops.getQueue('payments-dlq')).stats.visible, 1);

  // billing: three messages to purge; a few empty queues around them.
  await ops.putQueue('billing');
  await ops.send('billing', [{ body: 'a' }, { body: 'b' }, { body: 'c' }]);
  for (const name of ['audit', 'emails', 'reports']) await ops.putQueue(name);
  // Twelve tenants: more than a page of ten.
  for (let n = 0; n < 12; n += 1) await ops.putQueue(`tenant-${String(n).padStart(2, '0')}`);

  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    // As root chromium needs --no-sandbox; /dev/shm is small in containers.
    args: process.getuid?.() === 0 ? ['--no-sandbox', '--disable-dev-shm-usage'] : ['--disable-dev-shm-usage'],
  });
});

after(async () => {
  await browser?.close();
  await raptor?.stop();
});

// A page whose every console error, uncaught exception, failed request and 4xx/5xx answer is recorded.
async function openPage(label) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-GB' });
  context.setDefaultTimeout(15000);  // CI's two cores run other suites beside this one
  const page = await context.newPage();
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`${label}: console error: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`${label}: page error: ${error.message}`));
  page.on('requestfailed', (request) => problems.push(`${label}: request failed: ${request.method()} ${request.url()} ${request.failure()?.errorText}`));
  page.on('response', (response) => {
    if (response.status() >= 400) problems.push(`${label}: HTTP ${response.status()} for ${response.request().method()} ${response.url()}`);
  });
  return page;
}

async function signIn(page, token, { pictured = false } = {}) {
  await page.goto(`${raptor.url}/api/v1/queue/ui/`);
  await page.locator('#sign-in').waitFor();
  if (pictured) await screenshot(page, 'sign-in');
  await page.locator('#token').fill(token);
  await page.locator('#sign-in-form button[type="submit"]').click();
  await page.locator('#principal').filter({ hasText: 'signed in as' }).waitFor();
}

async function screenshot(page, name, { fullPage = true } = {}) {
  if (!screenshots) return;
  mkdirSync(screenshots, { recursive: true });
  // The clock in the header changes every run; hide it so the pictures only change with the page.
  await page.locator('#live').evaluate((node) => { node.style.visibility = 'hidden'; });
  await page.screenshot({ path: join(screenshots, `${name}.png`), fullPage });
  await page.locator('#live').evaluate((node) => { node.style.visibility = ''; });
}

function cell(page, queue, column) {
  return page.locator(`#queue-rows tr[data-queue="${queue}"] td[data-column="${column}"]`);
}

async function expectText(locator, text) {
  await locator.filter({ hasText: text }).first().waitFor();
}

test('the queues view shows each queue\'s depth by state, sorts and filters', async () => {
  const page = await openPage('queues');
  await signIn(page, OPS_TOKEN, { pictured: true });
  await expectText(page.locator('#principal'), 'signed in as ops');
  await page.locator('#queue-rows tr[data-queue="orders"]').waitFor();
  assert.equal(await cell(page, 'orders', 'visible').textContent(), '4');
  assert.equal(await cell(page, 'orders', 'in_flight').textContent(), '1');
  assert.equal(await cell(page, 'orders', 'delayed').textContent(), '2');
  assert.equal(await cell(page, 'payments-dlq', 'visible').textContent(), '1');
  assert.equal(await cell(page, 'billing', 'visible').textContent(), '3');
  assert.equal(await page.locator('#queue-rows tr').count(), 19);
  await screenshot(page, 'queues');

  // Live: what changes behind the page shows up within a few refreshes, untouched.
  // Twice: the refresh keeps its rhythm, not just its first beats.
  await ops.send('audit', [{ body: 'x' }]);
  await expectText(cell(page, 'audit', 'visible'), '1');
  await ops.send('audit', [{ body: 'y' }]);
  await expectText(cell(page, 'audit', 'visible'), '2');

  // Sorted by ready messages, most first.
  await page.locator('button[data-sort="visible"]').click();
  assert.deepEqual(await page.locator('#queue-rows tr').evaluateAll((rows) => rows.slice(0, 2).map((r) => r.dataset.queue)),
    ['orders', 'billing']);

  // A prefix filter lists only what starts with it.
  await page.locator('#prefix').fill('pay');
  await page.waitForFunction(() => document.querySelectorAll('#queue-rows tr').length === 2);
  assert.deepEqual(await page.locator('#queue-rows tr').evaluateAll((rows) => rows.map((r) => r.dataset.queue).sort()),
    ['payments', 'payments-dlq']);

  // Pages of ten, turned with the API's cursor: twelve tenants are ten and two.
  await page.locator('#prefix').fill('tenant-');
  await page.locator('#page-size').selectOption('10');
  await page.waitForFunction(() => document.querySelectorAll('#queue-rows tr').length === 10);
  assert.equal(await page.locator('#previous-page').isDisabled(), true);
  await page.locator('#next-page').click();
  await expectText(page.locator('#page-label'), 'Page 2');
  await page.waitForFunction(() => document.querySelectorAll('#queue-rows tr').length === 2);
  assert.deepEqual(await page.locator('#queue-rows tr').evaluateAll((rows) => rows.map((r) => r.dataset.queue)),
    ['tenant-10', 'tenant-11']);
  assert.equal(await page.locator('#next-page').isDisabled(), true);
  await page.locator('#previous-page').click();
  await page.waitForFunction(() => document.querySelectorAll('#queue-rows tr').length === 10);
  await page.context().close();
});

test('the queue view shows stats and attributes and peeks by state', async () => {
  const page = await openPage('queue');
  await signIn(page, OPS_TOKEN);
  await page.goto(`${raptor.url}/api/v1/queue/ui/#/queue/orders`);
  await expectText(page.locator('[data-stat="visible"]'), '4');
  assert.equal(await page.locator('[data-stat="in_flight"]').textContent(), '1');
  assert.equal(await page.locator('[data-stat="delayed"]').textContent(), '2');
  await expectText(page.locator('#attributes'), '600 s');
  await page.locator('#peek-rows tr[data-message]').first().waitFor();
  assert.equal(await page.locator('#peek-rows tr[data-message]').count(), 4);
  await expectText(page.locator('#peek-rows'), '{"order":2}');
  assert.ok(await page.locator('#throughput').isVisible());
  await screenshot(page, 'queue');

  await page.locator('#peek-in_flight').click();
  await page.waitForFunction((id) => {
    const rows = document.querySelectorAll('#peek-rows tr[data-message]');
    return rows.length === 1 && rows[0].dataset.message === id;
  }, ids.leased);
  await page.locator('#peek-delayed').click();
  await expectText(page.locator('#peek-rows'), 'later-2');
  assert.equal(await page.locator('#peek-rows tr[data-message]').count(), 2);
  await page.context().close();
});

test('a dead letter is peeked and redriven after a confirmation, with progress', async () => {
  const page = await openPage('redrive');
  await signIn(page, OPS_TOKEN);
  await page.goto(`${raptor.url}/api/v1/queue/ui/#/queue/payments`);
  await expectText(page.locator('#dlq-depth'), '1');
  await expectText(page.locator('#dlq-peek-rows'), 'card declined');
  await screenshot(page, 'dead-letters');

  await page.locator('#redrive').click();
  await page.locator('#confirm-redrive').waitFor();
  await page.locator('#confirm-redrive-ok').click();
  await expectText(page.locator('#redrive-status'), 'Moved 1 message.');
  assert.equal(await page.locator('#redrive-progress').getAttribute('max'), '1');
  await expectText(page.locator('#dlq-depth'), '0');
  await expectText(page.locator('[data-stat="visible"]'), '1');
  assert.equal((await ops.getQueue('payments-dlq')).stats.visible, 0);
  assert.equal((await ops.getQueue('payments')).stats.visible, 1);
  await page.context().close();
});

test('purge asks for the queue\'s name typed out', async () => {
  const page = await openPage('purge');
  await signIn(page, OPS_TOKEN);
  await page.goto(`${raptor.url}/api/v1/queue/ui/#/queue/billing`);
  await expectText(page.locator('[data-stat="visible"]'), '3');
  await page.locator('#purge').click();
  await page.locator('#confirm-purge-input').fill('billin');
  assert.equal(await page.locator('#confirm-purge-ok').isDisabled(), true);
  await screenshot(page, 'purge', { fullPage: false });  // a modal dialog covers the viewport only
  await page.locator('#confirm-purge-input').fill('billing');
  await page.locator('#confirm-purge-ok').click();
  await expectText(page.locator('#banner'), 'Purged 3 messages from billing.');
  await expectText(page.locator('[data-stat="visible"]'), '0');
  assert.equal((await ops.getQueue('billing')).stats.visible, 0);
  await page.context().close();
});

test('a token without admin scope sees no button it could not use', async () => {
  const page = await openPage('viewer');
  await signIn(page, VIEWER_TOKEN);
  await expectText(page.locator('#principal'), 'signed in as viewer');
  await page.locator('#queue-rows tr[data-queue="orders"]').waitFor();
  await page.goto(`${raptor.url}/api/v1/queue/ui/#/queue/payments`);
  await expectText(page.locator('[data-stat="visible"]'), '1');
  await page.locator('#peek-denied').waitFor();
  await expectText(page.locator('#dlq'), 'need admin scope');
  for (const selector of ['#pause', '#purge', '#redrive', '#peek', '#dlq-peek']) {
    assert.equal(await page.locator(selector).count(), 0, `${selector} is shown to a token without admin scope`);
  }
  await screenshot(page, 'read-only');
  await page.context().close();
});

test('live refresh stops while the tab is hidden', async () => {
  const page = await openPage('hidden');
  await signIn(page, OPS_TOKEN);
  await page.locator('#queue-rows tr[data-queue="orders"]').waitFor();
  let calls = 0;
  page.on('request', (request) => { if (request.url().includes('/api/v1/queues')) calls += 1; });
  // Chromium cannot hide a headless tab on demand: make the document say it is hidden.
  await page.evaluate(() => {
    Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'hidden' });
    document.dispatchEvent(new Event('visibilitychange'));
  });
  await expectText(page.locator('#live'), 'paused while hidden');
  calls = 0;
  await page.waitForTimeout(7000);  // more than two refresh intervals (3 s)
  assert.equal(calls, 0, 'the hidden dashboard kept calling the API');
  await page.evaluate(() => {
    Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'visible' });
    document.dispatchEvent(new Event('visibilitychange'));
  });
  await expectText(page.locator('#live'), 'live');
  assert.ok(calls > 0, 'showing the tab again refreshes at once');
  await page.context().close();
});

test('rates come from counter deltas, and a counter that went down starts over', async () => {
  const page = await openPage('rates');
  await page.goto(`${raptor.url}/api/v1/queue/ui/`);  // the token form: no API call
  const seen = await page.evaluate(async () => {
    const rates = await import('./rates.js');
    return {
      first: rates.record('q', { sent_total: 10, acked_total: 4 }, 1000),
      second: rates.record('q', { sent_total: 40, acked_total: 24 }, 3000),
      restarted: rates.record('q', { sent_total: 2, acked_total: 1 }, 5000),
      withoutCounters: rates.record('old-server', { visible: 3 }, 1000),
      history: rates.history('q').length,
    };
  });
  assert.deepEqual(seen, {
    first: { send: null, ack: null },
    second: { send: 15, ack: 10 },
    restarted: { send: null, ack: null },
    withoutCounters: { send: null, ack: null },
    history: 1,
  });
  await page.context().close();
});

test('pause and resume: a paused queue keeps its messages and gives none out', async () => {
  const page = await openPage('pause');
  await signIn(page, OPS_TOKEN);
  await page.goto(`${raptor.url}/api/v1/queue/ui/#/queue/orders`);
  await expectText(page.locator('#pause'), 'Pause');
  await page.locator('#pause').click();
  await page.locator('#paused-badge').waitFor();
  await expectText(page.locator('#pause'), 'Resume');
  await expectText(page.locator('#attributes'), 'yes: receives get nothing');
  assert.equal((await ops.getQueue('orders')).attributes.paused, true);
  assert.equal((await ops.receive('orders', { max: 1 })).messages.length, 0);
  await screenshot(page, 'paused');

  // The list says so too.
  await page.goto(`${raptor.url}/api/v1/queue/ui/#/queues`);
  await page.locator('#queue-rows tr[data-queue="orders"] .badge.paused').waitFor();

  await page.goto(`${raptor.url}/api/v1/queue/ui/#/queue/orders`);
  await expectText(page.locator('#pause'), 'Resume');
  await page.locator('#pause').click();
  await expectText(page.locator('#pause'), 'Pause');
  assert.equal(await page.locator('#paused-badge').count(), 0);
  assert.equal((await ops.getQueue('orders')).attributes.paused, false);
  await page.context().close();
});

test('a message is found by id, with its state', async () => {
  const page = await openPage('find');
  await signIn(page, OPS_TOKEN);
  await page.locator('a[data-nav="find"]').click();
  await page.locator('#find-queue').fill('orders');
  await page.locator('#find-id').fill(ids.delayed);
  await page.locator('form.find button[type="submit"]').click();
  await expectText(page.locator('#found-state'), 'delayed');
  await expectText(page.locator('#found-body'), 'later-1');
  await screenshot(page, 'find');
  // Each peeked id links to it.
  await page.goto(`${raptor.url}/api/v1/queue/ui/#/queue/orders`);
  await page.locator(`#peek-in_flight`).click();
  await page.locator(`#peek-rows tr[data-message="${ids.leased}"] a`).click();
  await expectText(page.locator('#found-state'), 'in_flight');
  await page.context().close();
});

test('a peek pages through a state with the API\'s cursor', async () => {
  await ops.send('reports', Array.from({ length: 12 }, (_, n) => ({ body: `report-${n}` })));
  const page = await openPage('peek-pages');
  await signIn(page, OPS_TOKEN);
  await page.goto(`${raptor.url}/api/v1/queue/ui/#/queue/reports`);
  await page.waitForFunction(() => document.querySelectorAll('#peek-rows tr[data-message]').length === 10);
  await page.locator('#peek-next').click();
  await page.waitForFunction(() => document.querySelectorAll('#peek-rows tr[data-message]').length === 2);
  await expectText(page.locator('#peek-rows'), 'report-11');
  assert.equal(await page.locator('#peek-next').isDisabled(), true);
  await page.context().close();
});

test('rates and the throughput sparkline follow the stats counters', async () => {
  const page = await openPage('throughput');
  await signIn(page, OPS_TOKEN);
  await page.goto(`${raptor.url}/api/v1/queue/ui/#/queue/emails`);
  await expectText(page.locator('[data-stat="visible"]'), '0');
  // Keep sending while the page refreshes, until two deltas are drawn.
  let sending = true;
  const producer = (async () => {
    while (sending) {
      await ops.send('emails', [{ body: 'hello' }, { body: 'again' }]);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  })();
  try {
    await page.waitForFunction(() => {
      const line = document.querySelector('#throughput polyline.send');
      return line !== null && line.getAttribute('points').trim().split(' ').length >= 2;
    }, null, { timeout: 20000 });
    const shown = await page.locator('[data-stat="send"]').textContent();
    assert.match(shown, /^[0-9.,]+\/s$/);
    assert.notEqual(shown, '0.0/s');
  } finally {
    sending = false;
    await producer;
  }
  await screenshot(page, 'throughput');
  await page.context().close();
});

test('no console error, page error, failed request or HTTP error', () => {
  assert.deepEqual(problems, []);
});
