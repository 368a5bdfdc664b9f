import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createLocalRunner } from '../../../src/runtime/local/local-runner.ts';
import type { Processor } from '../../../src/processor.ts';
import type { RawFinding } from '../../../src/schemas/types.gen.ts';
import { echoProcessor } from '../../helpers/fixtures/echo-processor.ts';
import { rawFinding } from '../../helpers/fixtures/events.ts';
import { runtimeSettings, silent } from '../../helpers/runtime-settings.ts';

test('runs events through, keeps per-key order, and idle() waits for everything', async () => {
  const handled = new Map<string, number[]>();
  const onAttempt = (raw: RawFinding) =>
    handled.set(raw.assetId as string, [...(handled.get(raw.assetId as string) ?? []), raw.part]);
  const runner = createLocalRunner({
    stages: [{ processor: echoProcessor(), deps: { delayMs: 1, onAttempt } }],
    runtime: runtimeSettings({ concurrency: 16 }),
    logger: silent,
  });
  for (let seq = 0; seq < 10; seq += 1)
    for (let k = 0; k < 30; k += 1) runner.publish('raw-findings', `k${k}`, rawFinding(`k${k}`, seq));
  await runner.idle();
  const out = runner.collected('normalized-findings');
  assert.equal(out.length, 300);
  for (const list of handled.values()) assert.deepEqual(list, [...Array(10).keys()]);
  const perKey = new Map<string, number[]>();
  for (const r of out) perKey.set(r.key, [...(perKey.get(r.key) ?? []), r.value.occurrences]);
  for (const list of perKey.values()) assert.deepEqual(list, [...Array(10).keys()]);
  assert.equal(runner.deadLetters.length, 0);
});

test('chains stages: idle() covers what earlier stages emitted', async () => {
  const counter: Processor<'normalized-findings', 'asset-changes', undefined> = {
    name: 'test_sink',
    input: 'normalized-findings',
    outputs: ['asset-changes'],
    async handle(f, ctx) {
      await new Promise((r) => setTimeout(r, 2));
      ctx.emit('asset-changes', f.fingerprint, {
        eventId: `c:${f.eventId}`,
        requestId: f.requestId,
        producedAt: 0,
        producer: f.producer,
        changeId: f.fingerprint,
        assetId: f.asset.assetId ?? 'x',
        kind: 'FINDING_OPENED',
        subject: f.fingerprint,
        before: null,
        after: null,
        observedAt: 0,
      });
    },
  };
  const runner = createLocalRunner({
    stages: [{ processor: echoProcessor(), deps: { delayMs: 2 } }, { processor: counter }],
    runtime: runtimeSettings(),
    logger: silent,
  });
  for (let i = 0; i < 20; i += 1)
    runner.publish('raw-findings', `k${i % 3}`, rawFinding(`k${i % 3}`, i), {
      traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
    });
  await runner.idle();
  const changes = runner.collected('asset-changes');
  assert.equal(changes.length, 20);
  assert.match(changes[0]?.headers['traceparent'] ?? '', /^00-4bf92f3577b34da6a3ce929d0e0e4736-/);
});

test('a retryable failure that clears after two attempts is processed once', async () => {
  const attempts: number[] = [];
  const runner = createLocalRunner({
    stages: [
      {
        processor: echoProcessor(),
        deps: { failures: new Map([['k#0', 2]]), onAttempt: (_: RawFinding, a: number) => attempts.push(a) },
      },
    ],
    runtime: runtimeSettings({ retry: { maxAttempts: 5, baseMs: 1, maxMs: 2 } }),
    logger: silent,
  });
  runner.publish('raw-findings', 'k', rawFinding('k', 0));
  await runner.idle();
  assert.deepEqual(attempts, [1, 2, 3]);
  assert.equal(runner.collected('normalized-findings').length, 1);
  assert.equal(runner.deadLetters.length, 0);
});

test('exhausted retries and non-retryable errors go to the in-memory DLQ with headers; later events continue', async () => {
  const runner = createLocalRunner({
    stages: [{ processor: echoProcessor(), deps: { failures: new Map([['k#0', 99]]), emitInvalid: new Set(['k#1']) } }],
    runtime: runtimeSettings({ retry: { maxAttempts: 3, baseMs: 1, maxMs: 2 } }),
    logger: silent,
  });
  for (let i = 0; i < 4; i += 1) runner.publish('raw-findings', 'k', rawFinding('k', i));
  await runner.idle();
  assert.equal(runner.collected('normalized-findings').length, 2);
  const [exhausted, invalid] = runner.deadLetters;
  assert.equal(exhausted?.error.code, 'SCANNER_FAILED');
  assert.equal(exhausted?.attempts, 3);
  assert.equal(exhausted?.topic, 'raw-findings.dlq');
  assert.equal(exhausted?.headers['asmvs-attempts'], '3');
  assert.equal(invalid?.error.code, 'ENCODE_INVALID', 'an invalid output fails in local mode too');
  assert.equal(invalid?.attempts, 1);
  assert.match(invalid?.error.message ?? '', /severity/);
});

test('publish() refuses a value that does not match the topic schema', () => {
  const runner = createLocalRunner({ stages: [], runtime: runtimeSettings(), logger: silent });
  assert.throws(
    () => runner.publish('raw-findings', 'k', { nope: 1 } as never),
    (e: { code?: string }) => e.code === 'ENCODE_INVALID',
  );
});

test('stop() aborts running handlers through ctx.signal', async () => {
  const runner = createLocalRunner({
    stages: [{ processor: echoProcessor(), deps: { delayMs: 60_000 } }],
    runtime: runtimeSettings(),
    logger: silent,
  });
  runner.publish('raw-findings', 'k', rawFinding('k', 0));
  const started = Date.now();
  await runner.stop();
  await runner.idle();
  assert.ok(Date.now() - started < 5_000);
  assert.equal(runner.collected('normalized-findings').length, 0);
});

test('idle() waits for timers a keyed stage scheduled for now (continuations), not for later ones', async () => {
  const chunks: number[] = [];
  const continuing: Processor<'raw-findings', 'normalized-findings', undefined> = {
    name: 'test_continuing',
    input: 'raw-findings',
    outputs: ['normalized-findings'],
    keyed: true,
    async handle(raw, ctx) {
      const step = (ctx.keyed.state as number | undefined) ?? 0;
      chunks.push(step);
      ctx.keyed.setState(step + 1);
      if (step < 4) ctx.keyed.schedule('next', Date.now(), raw);
      else ctx.keyed.schedule('much-later', Date.now() + 3_600_000, raw);
    },
  };
  const runner = createLocalRunner({ stages: [{ processor: continuing }], runtime: runtimeSettings(), logger: silent });
  runner.publish('raw-findings', 'k', rawFinding('k', 0));
  await runner.idle();
  assert.deepEqual(chunks, [0, 1, 2, 3, 4]);
  assert.deepEqual(
    runner.pendingTimers('test_continuing').map((t) => t.id),
    ['much-later'],
  );
  await runner.stop();
});
