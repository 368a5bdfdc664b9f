// Ctrl-C during a one-shot scan: the findings so far are printed, nothing is logged with a stack, and the process
// ends by SIGINT (130 to a shell), so that a shell loop around asmvs stops — an ordinary exit 130 would not stop it.
// The scan is held by a loopback listener that accepts and never answers; its first connection says the scan is on.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createServer, type Server, type Socket } from 'node:net';
import { fileURLToPath } from 'node:url';
import { createApp } from '../../src/app/app.ts';
import { loadConfig } from '../../src/config/load.ts';
import { readJobEvent } from '../../src/app/job-events.ts';

const BIN = fileURLToPath(new URL('../../bin/asmvs.js', import.meta.url));

/**
 * A listener that accepts and stays silent (identification then waits its probes' budgets, some seconds); `connected`
 * settles at the first connection. Its port is below the ephemeral range: a loopback port scan counts a port in that
 * range as closed when it could be its own source port.
 */
async function silentListener(host = '127.0.0.1'): Promise<{ server: Server; port: number; connected: Promise<void> }> {
  const sockets: Socket[] = [];
  let first: () => void = () => undefined;
  const connected = new Promise<void>((resolve) => (first = resolve));
  const server = createServer((s) => {
    sockets.push(s);
    s.on('error', () => undefined);
    first();
  });
  server.on('close', () => sockets.forEach((s) => s.destroy()));
  (server as Server & { sockets: Socket[] }).sockets = sockets;
  for (let port = 20_000 + Math.floor(Math.random() * 9_000); ; port++) {
    const bound = await new Promise<boolean>((resolve) => {
      server.once('error', () => resolve(false));
      server.listen(port, host, () => resolve(true));
    });
    if (bound) return { server, port, connected };
  }
}

function closeAll(server: Server): Promise<void> {
  for (const s of (server as Server & { sockets: Socket[] }).sockets) s.destroy();
  return new Promise((resolve) => server.close(() => resolve()));
}

test('Ctrl-C: the findings so far, no stack trace, and the process ends by SIGINT', async () => {
  const { server, port, connected } = await silentListener();
  try {
    const child = spawn(process.execPath, [BIN, 'scan', '127.0.0.1', '--ports', String(port), '--no-ping'], {
      env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '/root' },
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: 120_000,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const ended = new Promise<[number | null, NodeJS.Signals | null]>((resolve) =>
      child.on('close', (code, signal) => resolve([code, signal])),
    );
    await connected;
    child.kill('SIGINT');
    assert.deepEqual(await ended, [null, 'SIGINT'], stderr);
    assert.match(stdout, /^severity\s+where\s+type\s+finding$/m, 'the table of what was found so far');
    assert.match(stdout, /findings for 127\.0\.0\.1 in [\d.]+ s \(interrupted: the findings so far\)/);
    assert.doesNotMatch(stderr, /^\s+at /m, 'no stack trace');
    assert.doesNotMatch(stderr, /"level":\s*[45]0/, 'no error logged');
  } finally {
    await closeAll(server);
  }
});

test('a shell loop around asmvs stops at Ctrl-C', async () => {
  const { server, port, connected } = await silentListener();
  try {
    const loop = `for i in 1 2; do "${process.execPath}" "${BIN}" scan 127.0.0.1 --ports ${port} --no-ping -q; echo "after $i: $?"; done; echo done`;
    // Its own process group, as a terminal's foreground job is: Ctrl-C signals every process in it.
    const shell = spawn('bash', ['-c', loop], { detached: true, stdio: ['ignore', 'pipe', 'pipe'], timeout: 120_000 });
    let out = '';
    shell.stdout.on('data', (d: Buffer) => (out += d.toString()));
    const ended = new Promise<[number | null, NodeJS.Signals | null]>((resolve) =>
      shell.on('close', (code, signal) => resolve([code, signal])),
    );
    await connected;
    process.kill(-shell.pid!, 'SIGINT');
    assert.deepEqual(await ended, [null, 'SIGINT']);
    assert.doesNotMatch(out, /after 1|done/, 'the loop stopped');
  } finally {
    await closeAll(server);
  }
});

test('an interrupted one-shot scan returns the findings normalized so far, marked incomplete', async () => {
  // 127.0.0.1's Redis is found and reported at once; 127.0.0.2 holds the scan on the silent listener's port
  const held = await silentListener('127.0.0.2');
  try {
    const app = createApp(loadConfig({}));
    const controller = new AbortController();
    const result = await app.scan('127.0.0.0/30', {
      profile: 'default',
      ports: `6379,${held.port}`,
      ping: false,
      limits: null,
      scope: null,
      signal: controller.signal,
      onStatus: (s) => {
        if (readJobEvent(s)?.type === 'scan-normalized') controller.abort();
      },
    });
    assert.equal(result.complete, false);
    const found = result.findings.map((f) => `${f.asset.ip}:${f.asset.port} ${f.ruleId}`);
    assert.ok(found.includes('127.0.0.1:6379 redis-unauthenticated'), found.join(', '));
    assert.ok(!found.some((f) => f.startsWith('127.0.0.2')), 'the held host is not done');
  } finally {
    await closeAll(held.server);
  }
});
