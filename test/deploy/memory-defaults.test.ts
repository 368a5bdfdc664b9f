// `asmvs run` and `asmvs replay` bound their memory without NODE_OPTIONS: the launcher re-executes itself (same PID)
// with V8's heap flags and MALLOC_ARENA_MAX, unless the user set them. Read from /proc/<pid> of a real process.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createServer, type Socket } from 'node:net';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { setTimeout as delay } from 'node:timers/promises';
import { missingMemoryDefaults } from '../../bin/memory-defaults.js';

const BIN = fileURLToPath(new URL('../../bin/asmvs.js', import.meta.url));

test('adds each flag and variable the user did not set', () => {
  assert.deepEqual(missingMemoryDefaults([], {}), {
    flags: ['--max-semi-space-size=4', '--max-old-space-size=256'],
    env: { MALLOC_ARENA_MAX: '2' },
  });
  assert.deepEqual(
    missingMemoryDefaults(['--disable-warning=X'], {
      NODE_OPTIONS: '--max_old_space_size=1024',
      MALLOC_ARENA_MAX: '4',
    }),
    { flags: ['--max-semi-space-size=4'], env: {} },
  );
  assert.deepEqual(missingMemoryDefaults(['--max-semi-space-size=8', '--max-old-space-size=512'], {}).flags, []);
});

/** Runs `asmvs <command>` against a registry that accepts connections and never answers; its cmdline and env. */
async function startedWith(args: string[], env: Record<string, string>) {
  const held: Socket[] = [];
  const silent = createServer((s) => held.push(s));
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  const port = (silent.address() as { port: number }).port;
  const child = spawn(process.execPath, [BIN, ...args], {
    env: {
      PATH: process.env['PATH'] ?? '',
      KAFKA_BROKERS: `127.0.0.1:${port}`,
      SCHEMA_REGISTRY_URL: `http://127.0.0.1:${port}`,
      METRICS_PORT: '0',
      ...env,
    },
    stdio: 'ignore',
  });
  try {
    // The process is waiting on the silent registry once it has connected: by then it has re-executed, if it does.
    while (held.length === 0) await delay(20);
    const pid = child.pid as number;
    return {
      pid,
      argv: readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0'),
      env: readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0'),
    };
  } finally {
    child.kill('SIGKILL');
    for (const s of held) s.destroy();
    silent.close();
  }
}

test('asmvs run re-executes itself with the heap flags and MALLOC_ARENA_MAX, keeping its PID', async () => {
  const { argv, env } = await startedWith(['run', 'vs_normalization'], {});
  assert.ok(argv.includes('--max-old-space-size=256'), argv.join(' '));
  assert.ok(argv.includes('--max-semi-space-size=4'), argv.join(' '));
  assert.ok(env.includes('MALLOC_ARENA_MAX=2'));
});

test("the user's NODE_OPTIONS wins over the default", async () => {
  const { argv } = await startedWith(['run', 'vs_normalization'], {
    NODE_OPTIONS: '--max-old-space-size=300',
    MALLOC_ARENA_MAX: '4',
  });
  assert.ok(!argv.some((a) => a.startsWith('--max-old-space-size')), argv.join(' '));
  assert.ok(argv.includes('--max-semi-space-size=4'));
});
