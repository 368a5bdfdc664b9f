// The dead-letter hook (Processor.onDeadLetter): called once when an event is dead-lettered, with the decoded event
// (undefined when the bytes never decoded); what it emits is delivered with the dead letter; a hook that fails
// costs only its own outputs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AsmvsError } from '../../src/errors.ts';
import type { Processor } from '../../src/processor.ts';
import type { RawFinding } from '../../src/schemas/types.gen.ts';
import { createLocalRunner } from '../../src/runtime/local/local-runner.ts';
import { execute, type Executor } from '../../src/runtime/execute.ts';
import { jobStatus } from '../../src/processors/job-status.ts';
import { rawFinding } from '../helpers/fixtures/events.ts';
import { runtimeSettings, silent } from '../helpers/runtime-settings.ts';

interface Seen {
  readonly event: RawFinding | undefined;
  readonly code: string;
  readonly attempt: number;
}

/** Fails every event: `retryable` chooses between exhausting retries and failing at once. */
function failing(o: {
  retryable: boolean;
  seen: Seen[];
  hook?: 'throws' | 'invalid';
}): Processor<'raw-findings', 'job-status', undefined> {
  return {
    name: 'test_failing',
    input: 'raw-findings',
    outputs: ['job-status'],
    async handle(raw) {
      throw new AsmvsError(o.retryable ? 'SCANNER_FAILED' : 'TARGET_OUT_OF_SCOPE', `no ${raw.eventId}`);
    },
    onDeadLetter(event, error, ctx) {
      o.seen.push({ event, code: error.code, attempt: ctx.meta.attempt });
      if (o.hook === 'throws') throw new Error('hook broke');
      if (!event) return;
      const status = jobStatus(
        'test_failing',
        event.requestId,
        'FAILED',
        { subject: event.assetId, message: error.message, errorCode: error.code },
        0,
      );
      if (o.hook === 'invalid') (status as { state: string }).state = 'NOT-A-STATE';
      ctx.emit('job-status', event.requestId, status);
    },
  };
}

test('a non-retryable failure: the hook runs once and its job-status is delivered with the dead letter', async () => {
  const seen: Seen[] = [];
  const runner = createLocalRunner({
    stages: [{ processor: failing({ retryable: false, seen }) }],
    runtime: runtimeSettings(),
    logger: silent,
  });
  runner.publish('raw-findings', 'a1', rawFinding('a1', 0), {
    traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
  });
  await runner.idle();
  assert.equal(runner.deadLetters.length, 1);
  assert.equal(runner.deadLetters[0]?.error.code, 'TARGET_OUT_OF_SCOPE');
  assert.deepEqual(
    seen.map((s) => [s.event?.eventId, s.code, s.attempt]),
    [['a1#0', 'TARGET_OUT_OF_SCOPE', 1]],
  );
  const statuses = runner.collected('job-status');
  assert.equal(statuses.length, 1);
  const status = statuses[0];
  assert.equal(status?.key, 'req-a1');
  assert.equal(status?.value.state, 'FAILED');
  assert.equal(status?.value.requestId, 'req-a1');
  assert.equal(status?.value.subject, 'a1');
  assert.equal(status?.value.errorCode, 'TARGET_OUT_OF_SCOPE');
  assert.equal(status?.value.message, 'no a1#0');
  assert.match(status?.headers['traceparent'] ?? '', /^00-4bf92f3577b34da6a3ce929d0e0e4736-/, 'the trace continues');
});

test('exhausted retries: the hook runs once, after the last attempt', async () => {
  const seen: Seen[] = [];
  const runner = createLocalRunner({
    stages: [{ processor: failing({ retryable: true, seen }) }],
    runtime: runtimeSettings({ retry: { maxAttempts: 3, baseMs: 1, maxMs: 2 } }),
    logger: silent,
  });
  runner.publish('raw-findings', 'a1', rawFinding('a1', 0));
  runner.publish('raw-findings', 'a2', rawFinding('a2', 0));
  await runner.idle();
  assert.equal(runner.deadLetters.length, 2);
  assert.deepEqual(
    seen.map((s) => [s.code, s.attempt]),
    [
      ['SCANNER_FAILED', 3],
      ['SCANNER_FAILED', 3],
    ],
  );
  assert.deepEqual(
    runner
      .collected('job-status')
      .map((r) => r.value.requestId)
      .sort(),
    ['req-a1', 'req-a2'],
  );
});

test('a hook that throws or emits an invalid value costs its outputs, never the dead letter', async () => {
  for (const hook of ['throws', 'invalid'] as const) {
    const seen: Seen[] = [];
    const runner = createLocalRunner({
      stages: [{ processor: failing({ retryable: false, seen, hook }) }],
      runtime: runtimeSettings(),
      logger: silent,
    });
    runner.publish('raw-findings', 'a1', rawFinding('a1', 0));
    runner.publish('raw-findings', 'a1', rawFinding('a1', 1));
    await runner.idle();
    assert.equal(runner.deadLetters.length, 2, hook);
    assert.equal(seen.length, 2, `${hook}: called once per dead letter, never retried`);
    assert.equal(runner.collected('job-status').length, 0, hook);
  }
});

test('a stage without the hook dead-letters as before; successful events never call it', async () => {
  const seen: Seen[] = [];
  const { onDeadLetter: _unused, ...noHook } = failing({ retryable: false, seen });
  const runner = createLocalRunner({ stages: [{ processor: noHook }], runtime: runtimeSettings(), logger: silent });
  runner.publish('raw-findings', 'a1', rawFinding('a1', 0));
  await runner.idle();
  assert.equal(runner.deadLetters.length, 1);
  assert.equal(runner.collected('job-status').length, 0);
});

test('undecodable bytes: the hook gets undefined, and the failure is the decode error', async () => {
  const seen: Seen[] = [];
  const executor: Executor<string> = {
    processor: failing({ retryable: false, seen }),
    deps: undefined,
    decode: () => Promise.reject(new AsmvsError('DECODE_NO_MAGIC_BYTE', 'no magic byte')),
    encode: (_topic, value) => JSON.stringify(value),
    retry: { maxAttempts: 3, baseMs: 1, maxMs: 2 },
    log: silent,
  };
  const outcome = await execute(executor, {
    meta: { topic: 'raw-findings', partition: 0, offset: '7', key: 'a1', headers: {}, timestamp: 0, attempt: 1 },
    bytes: Buffer.from('no magic byte'),
    signal: new AbortController().signal,
    keyed: undefined,
  });
  assert.equal(outcome.kind, 'failed');
  assert.deepEqual(seen, [{ event: undefined, code: 'DECODE_NO_MAGIC_BYTE', attempt: 1 }]);
  assert.deepEqual(outcome.kind === 'failed' ? outcome.outputs : undefined, []);
});
