// A keyed stage's timers and state live under the record key: an event produced without a key cannot use them. The
// processor's use of ctx.keyed then fails with that reason (and the event is dead-lettered), rather than with the
// misleading "not declared keyed" of a stage that has no keyed state at all.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execute } from '../../../src/runtime/execute.ts';
import { asmScheduler } from '../../../src/processors/asm-scheduler.ts';
import { echoProcessor } from '../../helpers/fixtures/echo-processor.ts';
import type { AnyProcessor } from '../../../src/processor.ts';
import { monitorEvent } from '../../helpers/fixtures/monitor-event.ts';
import { runtimeSettings, silent } from '../../helpers/runtime-settings.ts';

async function runWithoutKey(processor: AnyProcessor, value: unknown, deps: unknown) {
  return execute(
    { processor, deps, decode: () => value, encode: (_topic, v) => v, retry: runtimeSettings().retry, log: silent },
    {
      meta: { topic: processor.input, partition: 0, offset: '7', key: null, headers: {}, timestamp: 0, attempt: 1 },
      bytes: Buffer.alloc(0),
      signal: new AbortController().signal,
      keyed: undefined,
    },
  );
}

test('an event without a key in a keyed stage fails with the reason, not as if the stage were not keyed', async () => {
  const outcome = await runWithoutKey(asmScheduler as AnyProcessor, monitorEvent('127.0.0.1', 60_000), {
    now: Date.now,
    minIntervalMs: 1_000,
  });
  assert.equal(outcome.kind, 'failed');
  assert.equal(outcome.kind === 'failed' && outcome.error.code, 'KEYED_STATE_INVALID');
  assert.match(
    outcome.kind === 'failed' ? outcome.error.message : '',
    /asm_scheduler keeps timers and state per record key, and this event has no key/,
  );
  assert.equal(outcome.attempts, 1, 'not retried: it cannot succeed');
});

test('a stage that is not keyed still says so', async () => {
  const probe: AnyProcessor = {
    ...(echoProcessor() as unknown as AnyProcessor),
    async handle(_value, ctx) {
      ctx.keyed.schedule('t', 1, {} as never);
    },
  };
  const outcome = await runWithoutKey(probe, {}, {});
  assert.match(outcome.kind === 'failed' ? outcome.error.message : '', /is not declared keyed/);
});
