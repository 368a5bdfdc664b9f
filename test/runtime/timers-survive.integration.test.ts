// Must show (#7): durable timers survive a SIGKILL of their owner and a rebalance to another instance: each fires,
// none is lost, and a duplicate firing is recognisable downstream by its deterministic id. The stage is the real
// asm_scheduler: each monitor keeps one "round" timer; every round's request carries its due time.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as delay } from 'node:timers/promises';
import { createKafka } from '../../src/runtime/kafka/client.ts';
import { provisionTopics } from '../../src/runtime/kafka/provision-topics.ts';
import { publishEvents } from '../../src/runtime/kafka/publish.ts';
import { readTopic } from '../../src/runtime/kafka/read-topic.ts';
import { pipelineTopics } from '../../src/topology.ts';
import { MONITOR_LABELS } from '../../src/monitoring/monitor-labels.ts';
import { roundRequestId } from '../../src/processors/asm-scheduler.ts';
import type { Config } from '../../src/config/config.ts';
import type { DiscoveryRequest } from '../../src/schemas/types.gen.ts';
import { stackConfig, uniquePrefix } from '../helpers/stack.ts';
import { monitorEvent } from '../helpers/fixtures/monitor-event.ts';
import { spawnStage, withTimeout, type StageProcess } from '../helpers/stage-process.ts';

const MONITORS = 24;

interface Round {
  readonly monitor: string;
  readonly dueAt: number;
  readonly requestId: string;
  readonly eventId: string;
  readonly seenAt: number;
}

async function setUp(label: string) {
  const prefix = uniquePrefix(label);
  const config = stackConfig({ TOPIC_PREFIX: prefix, TOPIC_PARTITIONS: '6', MONITOR_MIN_INTERVAL_MS: '1000' });
  const kafka = createKafka(config.kafka as NonNullable<Config['kafka']>, `test-${label}`);
  await provisionTopics(kafka, pipelineTopics({ rawFindingsRetentionMs: -1 }), {
    prefix,
    partitions: 6,
    replicationFactor: 1,
  });
  const rounds: Round[] = [];
  const reading = new AbortController();
  const reader = readTopic(config, 'discovery-requests', { from: 'earliest', signal: reading.signal }, (r) => {
    const v = r.value as DiscoveryRequest;
    rounds.push({
      monitor: v.labels[MONITOR_LABELS.monitor] ?? '',
      dueAt: Number(v.labels[MONITOR_LABELS.roundAt]),
      requestId: v.requestId,
      eventId: v.eventId,
      seenAt: Date.now(),
    });
  });
  const env = {
    TOPIC_PREFIX: prefix,
    MONITOR_MIN_INTERVAL_MS: '1000',
    LOG_LEVEL: 'info',
    SHUTDOWN_DEADLINE_MS: '5000',
  };
  return { prefix, config, rounds, env, stopReading: () => (reading.abort(), reader) };
}

function monitors(everyMs: number) {
  return Array.from({ length: MONITORS }, (_, i) => monitorEvent(`127.0.77.${i + 1}`, everyMs));
}

/** Per monitor, the distinct due times seen, sorted. */
function dueTimes(rounds: readonly Round[]): Map<string, number[]> {
  const out = new Map<string, Set<number>>();
  for (const r of rounds) out.set(r.monitor, (out.get(r.monitor) ?? new Set()).add(r.dueAt));
  return new Map([...out].map(([m, s]) => [m, [...s].sort((a, b) => a - b)]));
}

function duplicatesOf(rounds: readonly Round[]): number {
  const byId = new Map<string, Round>();
  let duplicates = 0;
  for (const r of rounds) {
    const first = byId.get(r.requestId);
    if (!first) byId.set(r.requestId, r);
    else {
      duplicates += 1;
      // Same round, same ids: a consumer de-duplicates on them.
      assert.equal(r.eventId, first.eventId);
      assert.equal(r.dueAt, first.dueAt);
      assert.equal(r.requestId, roundRequestId(r.monitor, r.dueAt));
    }
  }
  return duplicates;
}

async function stopAll(...processes: (StageProcess | undefined)[]) {
  for (const p of processes) p?.child.kill('SIGTERM');
  for (const p of processes)
    if (p) await withTimeout(p.exited, 20_000, 'stage exit').catch(() => p.child.kill('SIGKILL'));
}

test(
  'timers survive a SIGKILL of their owner: the pending round of every monitor fires at the next owner',
  { timeout: 120_000 },
  async () => {
    const everyMs = 4_000;
    const s = await setUp('timers-kill');
    let first: StageProcess | undefined;
    let second: StageProcess | undefined;
    try {
      first = spawnStage('asm_scheduler', { ...s.env, FIXTURE_INSTANCE_ID: 'a' }, 'scheduler-process.ts');
      await withTimeout(first.assigned, 30_000, 'first copy assigned');
      await publishEvents(
        s.config,
        'monitors',
        monitors(everyMs).map((m) => ({ key: m.monitorId, value: m })),
      );
      // Every monitor ran its first round: each now has a pending timer, due one interval later.
      const deadline = Date.now() + 30_000;
      while (dueTimes(s.rounds).size < MONITORS && Date.now() < deadline) await delay(100);
      assert.equal(dueTimes(s.rounds).size, MONITORS, 'every monitor ran its first round');
      first.child.kill('SIGKILL');
      await first.exited;
      const beforeKill = dueTimes(s.rounds);
      const killedAt = Date.now();

      second = spawnStage('asm_scheduler', { ...s.env, FIXTURE_INSTANCE_ID: 'b' }, 'scheduler-process.ts');
      await withTimeout(second.assigned, 30_000, 'second copy assigned');
      // Wait until every monitor has fired after the kill.
      const until = Date.now() + 40_000;
      const firedAfterKill = () =>
        [...dueTimes(s.rounds)].filter(([m, times]) => times.length > (beforeKill.get(m)?.length ?? 0)).length;
      while (firedAfterKill() < MONITORS && Date.now() < until) await delay(200);
      await delay(500);
      const after = dueTimes(s.rounds);
      let onGrid = 0;
      for (const [monitor, times] of beforeKill) {
        const last = times.at(-1) as number;
        const next = (after.get(monitor) ?? []).filter((t) => t > last);
        assert.ok(next.length > 0, `${monitor}: its pending timer fired after the kill`);
        // The timer pending at the kill was due at last + every (it may have fired late: the copy was dead for a
        // while), and nothing fires twice for a window: the grid goes on from there.
        assert.equal(next[0], last + everyMs, `${monitor}: the pending round (not a new schedule) fired`);
        // Later rounds stay on the monitor's grid (a round the outage made late may skip the windows it missed).
        for (let i = 1; i < next.length; i += 1) {
          assert.ok((next[i] as number) > (next[i - 1] as number));
          assert.equal(((next[i] as number) - last) % everyMs, 0, `${monitor}: round ${i} is on the grid`);
        }
        onGrid += 1;
      }
      const duplicates = duplicatesOf(s.rounds);
      console.log(
        `[timers-kill] monitors ${MONITORS}, rounds ${s.rounds.length}, duplicates ${duplicates}, ` +
          `pending rounds fired after the kill ${onGrid}, all within ${Math.round((Date.now() - killedAt) / 1000)} s of it`,
      );
      assert.ok(
        second.stdout.some((l) => l.includes('"msg":"keyed state loaded"')),
        'the new owner reloaded the timers',
      );
    } finally {
      first?.child.kill('SIGKILL');
      await stopAll(second);
      await s.stopReading();
    }
  },
);

test('timers follow their partitions in a rebalance: no round is lost or skipped', { timeout: 120_000 }, async () => {
  const everyMs = 8_000; // longer than any rebalance here, so no window is missed and none may be skipped
  const s = await setUp('timers-rebalance');
  let a: StageProcess | undefined;
  let b: StageProcess | undefined;
  try {
    a = spawnStage('asm_scheduler', { ...s.env, FIXTURE_INSTANCE_ID: 'a' }, 'scheduler-process.ts');
    await withTimeout(a.assigned, 30_000, 'copy a assigned');
    await publishEvents(
      s.config,
      'monitors',
      monitors(everyMs).map((m) => ({ key: m.monitorId, value: m })),
    );
    await delay(2_000);
    // A second copy joins: half of the partitions (and their timers) move to it.
    b = spawnStage('asm_scheduler', { ...s.env, FIXTURE_INSTANCE_ID: 'b' }, 'scheduler-process.ts');
    await withTimeout(b.assigned, 30_000, 'copy b assigned');
    await delay(everyMs + 1_000);
    // Copy a leaves (SIGTERM): everything moves to b.
    a.child.kill('SIGTERM');
    assert.deepEqual(await withTimeout(a.exited, 30_000, 'copy a exit'), { code: 0, signal: null });
    const aExitedAt = Date.now();
    await delay(2 * everyMs + 1_000);
    const times = dueTimes(s.rounds);
    assert.equal(times.size, MONITORS);
    for (const [monitor, list] of times) {
      assert.ok(list.length >= 4, `${monitor}: ${list.length} rounds`); // first, during b, after a left
      for (let i = 1; i < list.length; i += 1)
        assert.equal(list[i], (list[i - 1] as number) + everyMs, `${monitor}: round ${i} follows on the grid`);
    }
    // Copy a is gone: every monitor's rounds since then were fired by copy b, from the timers it took over.
    const firedByB = new Set(s.rounds.filter((r) => r.seenAt > aExitedAt + 500).map((r) => r.monitor));
    const duplicates = duplicatesOf(s.rounds);
    console.log(
      `[timers-rebalance] monitors ${MONITORS}, rounds ${s.rounds.length}, duplicates ${duplicates}, monitors fired by b after a left ${firedByB.size}`,
    );
    assert.equal(firedByB.size, MONITORS, 'b fired every monitor after a left');
    assert.ok(
      b.stdout.filter((l) => l.includes('"msg":"keyed state loaded"')).length >= 2,
      'b reloaded on each assignment',
    );
  } finally {
    await stopAll(a, b);
    await s.stopReading();
  }
});
