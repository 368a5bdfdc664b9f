import { test } from 'node:test';
import assert from 'node:assert/strict';
import { asmScheduler, roundRequestId } from '../../src/processors/asm-scheduler.ts';
import { MONITOR_LABELS } from '../../src/monitoring/monitor-labels.ts';
import { createLocalRunner } from '../../src/runtime/local/local-runner.ts';
import { KeyedAttempt, type KeyEntry } from '../../src/runtime/keyed/key-entry.ts';
import type { AnyProcessor, Context } from '../../src/processor.ts';
import type { DiscoveryRequest } from '../../src/schemas/types.gen.ts';
import { monitorEvent } from '../helpers/fixtures/monitor-event.ts';
import { runtimeSettings, silent } from '../helpers/runtime-settings.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

test('a monitored target is rediscovered every interval; removing it stops the rounds', async () => {
  const runner = createLocalRunner({
    stages: [{ processor: asmScheduler as AnyProcessor, deps: { now: Date.now, minIntervalMs: 10 } }],
    runtime: runtimeSettings(),
    logger: silent,
  });
  runner.publish('monitors', '127.0.0.1', monitorEvent('127.0.0.1', 40, { ports: '6379' }));
  // three rounds take 80 ms and more: wait for them, however slow the machine (timers fire late, never early)
  for (const deadline = Date.now() + 10_000; runner.collected('discovery-requests').length < 3;) {
    assert.ok(Date.now() < deadline, 'three rounds within 10 s');
    await sleep(10);
  }
  const rounds = runner.collected('discovery-requests');
  assert.ok(rounds.length >= 3, `rounds: ${rounds.length}`);
  const dueTimes = rounds.map((r) => Number(r.value.labels[MONITOR_LABELS.roundAt]));
  // On the grid, in order; a round that fired more than an interval late skips the windows it missed (a loaded
  // machine), so consecutive rounds are one or more intervals apart.
  for (let i = 1; i < dueTimes.length; i += 1) {
    const gap = (dueTimes[i] as number) - (dueTimes[i - 1] as number);
    assert.ok(gap >= 40 && gap % 40 === 0, `round ${i} is ${gap} ms after the one before`);
  }
  for (const [i, r] of rounds.entries()) {
    assert.equal(r.value.requestId, roundRequestId('127.0.0.1', dueTimes[i] as number));
    assert.equal(r.key, r.value.requestId);
    assert.deepEqual(r.value.targets, ['127.0.0.1']);
    assert.equal(r.value.ports, '6379');
    assert.equal(r.value.labels[MONITOR_LABELS.everyMs], '40');
  }
  assert.deepEqual(
    runner.pendingTimers('asm_scheduler').map((t) => t.id),
    ['round'],
  );
  runner.publish('monitors', '127.0.0.1', monitorEvent('127.0.0.1', 0, { action: 'REMOVE' }));
  await runner.idle();
  const count = runner.collected('discovery-requests').length;
  await sleep(100);
  assert.equal(runner.collected('discovery-requests').length, count, 'no round after the removal');
  assert.deepEqual(runner.pendingTimers('asm_scheduler'), []);
  await runner.stop();
});

test("an interval below the operator's minimum is dead-lettered and schedules nothing", async () => {
  const runner = createLocalRunner({
    stages: [{ processor: asmScheduler as AnyProcessor, deps: { now: Date.now, minIntervalMs: 60_000 } }],
    runtime: runtimeSettings(),
    logger: silent,
  });
  runner.publish('monitors', 'example.test', monitorEvent('example.test', 1_000));
  await runner.idle();
  assert.equal(runner.deadLetters.length, 1);
  assert.equal(runner.deadLetters[0]?.error.code, 'MONITOR_INVALID');
  assert.match(runner.deadLetters[0]?.error.message ?? '', /below the operator's minimum of 60000 ms/);
  assert.deepEqual(runner.pendingTimers('asm_scheduler'), []);
  assert.equal(runner.collected('discovery-requests').length, 0);
  await runner.stop();
});

/** Runs one event (or, with `timerAt`, one timer firing) of asm_scheduler by hand, at a chosen "now". */
async function handleOnce(o: { now: number; everyMs: number; timerAt?: number; base?: KeyEntry }) {
  const emitted: DiscoveryRequest[] = [];
  const keyed = new KeyedAttempt(
    o.base,
    (v) => Buffer.from(JSON.stringify(v)),
    () => o.now,
  );
  const ctx = {
    emit: (_topic: string, _key: string, value: DiscoveryRequest) => emitted.push(value),
    signal: new AbortController().signal,
    log: silent,
    deps: { now: () => o.now, minIntervalMs: 1 },
    meta: {
      topic: 'monitors',
      partition: 0,
      offset: '-1',
      key: 'h',
      headers: {},
      attempt: 1,
      timestamp: 0,
      ...(o.timerAt === undefined ? {} : { timer: { id: 'round', at: o.timerAt, scheduledAt: 0 } }),
    },
    keyed,
  } as unknown as Context<'discovery-requests', never, 'monitors'>;
  await asmScheduler.handle(monitorEvent('h', o.everyMs), ctx as never);
  return { emitted, timers: keyed.timers(), state: keyed.state };
}

const fire = (dueAt: number, now: number, everyMs: number) => handleOnce({ now, everyMs, timerAt: dueAt });

test('a round that fires a day late produces one request and keeps the schedule on its grid', async () => {
  const hour = 3_600_000;
  const due = 1_000_000_000_000;
  const late = await fire(due, due + 24 * hour + 5, hour);
  assert.equal(late.emitted.length, 1, 'one round, not one per missed hour');
  assert.equal(late.emitted[0]?.requestId, roundRequestId('h', due));
  assert.deepEqual(late.timers, [{ id: 'round', at: due + 25 * hour }]);
  assert.deepEqual(late.state, { everyMs: hour, lastDueAt: due });

  const onTime = await fire(due, due + 3, hour);
  assert.deepEqual(onTime.timers, [{ id: 'round', at: due + hour }]);
  const again = await fire(due, due + 7, hour);
  assert.equal(again.emitted[0]?.eventId, onTime.emitted[0]?.eventId, 'a duplicate firing has the same ids');
});

test('an ADD delivered again after its owner crashed keeps the overdue round, which fires late with its due time', async () => {
  const every = 4_000;
  const last = 1_000_000_000_000;
  // The state a crashed owner left: the first round ran at `last`, the next is pending at last + every.
  const base: KeyEntry = {
    state: JSON.stringify({ everyMs: every, lastDueAt: last }),
    timers: [{ id: 'round', at: last + every, scheduledAt: last, packed: '' }],
  };
  // The ADD is redelivered (its offset was never committed) to the new owner, which started 10 s later.
  const redelivered = await handleOnce({ now: last + 10_000, everyMs: every, base });
  assert.deepEqual(redelivered.timers, [{ id: 'round', at: last + every }], 'the pending round is kept, not moved on');
  assert.equal(redelivered.emitted.length, 0);
  const fired = await fire(last + every, last + 10_001, every);
  assert.equal(fired.emitted[0]?.requestId, roundRequestId('h', last + every));
  assert.deepEqual(fired.timers, [{ id: 'round', at: last + 3 * every }], 'the missed window is skipped');

  // A changed interval keeps the grid's origin: the next round is one new interval after the last.
  const changed = await handleOnce({ now: last + 1_000, everyMs: 2 * every, base });
  assert.deepEqual(changed.timers, [{ id: 'round', at: last + 2 * every }]);
});
