// Starts the real `raptor` binary with Queue mounted (FLAG_QUEUE_V1) on a free
// loopback port, its message log in a temporary directory, and stops it again.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, createWriteStream, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function waitUntilReady(url, child, deadlineMs) {
  const deadline = Date.now() + deadlineMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) return false;
    try {
      const response = await fetch(url);
      if (response.status === 200) return true;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return false;
}

// Resolves {url, stop(), log()} once Queue's /readyz answers 200.
export async function startRaptor({ binary, tokens }) {
  const directory = mkdtempSync(join(tmpdir(), 'queue-dashboard-'));
  const logPath = join(directory, 'raptor.log');
  // Another process may take the free port before raptor binds it: try a few.
  for (let attempt = 1; attempt <= 3; attempt += 1) {
    const port = await freePort();
    const log = createWriteStream(logPath, { flags: 'a' });
    const child = spawn(binary, [], {
      env: {
        ...process.env,
        HOST: '127.0.0.1',
        PORT: String(port),
        WEB_CONCURRENCY: '2',
        FLAG_QUEUE_V1: '1',
        QUEUE_DATABASE_URL: `log:${join(directory, 'queue')}`,
        QUEUE_DURABILITY: 'os',
        QUEUE_API_TOKENS: tokens,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout.pipe(log);
    child.stderr.pipe(log);
    const url = `http://127.0.0.1:${port}`;
    if (await waitUntilReady(`${url}/api/v1/queue/readyz`, child, 20000)) {
      return {
        url,
        log: () => readFileSync(logPath, 'utf8'),
        async stop() {
          if (child.exitCode === null) {
            const exited = new Promise((resolve) => child.once('exit', resolve));
            child.kill('SIGTERM');
            await exited;
          }
          rmSync(directory, { recursive: true, force: true });
        },
      };
    }
    child.kill('SIGKILL');
  }
  throw new Error(`raptor did not become ready:\n${readFileSync(logPath, 'utf8')}`);
}
