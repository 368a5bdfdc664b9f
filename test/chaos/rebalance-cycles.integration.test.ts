// Chaos: while one copy of a stage works through a backlog, a second copy joins and leaves (SIGTERM) five times,
// each time moving partitions back and forth mid-work. Every event is handled; none is lost or dead-lettered; the
// duplicates are bounded by what was in flight on the partitions that moved.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as delay } from 'node:timers/promises';
import { eventually } from '../helpers/eventually.ts';
import { createHarness } from '../helpers/kafka-harness.ts';
import { spawnStage, withTimeout, type StageProcess } from '../helpers/stage-process.ts';

const EVENTS = 3_000;
const CYCLES = 5;
const MAX_IN_FLIGHT = 100;

test(
  `${CYCLES} rebalance cycles mid-run: nothing lost or dead-lettered, duplicates within the in-flight window`,
  { timeout: 240_000 },
  async () => {
    const h = await createHarness('chaos-rebalance', { partitions: 6 });
    const groupId = `${h.prefix}asmvs.vs_normalization`;
    const env = {
      TOPIC_PREFIX: h.prefix,
      STAGE_CONCURRENCY: '16',
      STAGE_MAX_IN_FLIGHT: String(MAX_IN_FLIGHT),
      FIXTURE_DELAY_MS: '10',
      SHUTDOWN_DEADLINE_MS: '5000',
    };
    const steady = spawnStage('vs_normalization', { ...env, FIXTURE_INSTANCE_ID: 'steady' });
    const moving: StageProcess[] = [];
    try {
      await h.produceRaw(Array.from({ length: EVENTS }, (_, seq) => ({ key: `asset-${seq % 60}`, seq })));
      await withTimeout(steady.assigned, 60_000, 'steady copy assigned');
      for (let cycle = 0; cycle < CYCLES; cycle += 1) {
        const copy = spawnStage('vs_normalization', { ...env, FIXTURE_INSTANCE_ID: `moving-${cycle}` });
        moving.push(copy);
        await withTimeout(copy.assigned, 60_000, `copy ${cycle} assigned`);
        await delay(1_500); // it works a while on its partitions
        copy.child.kill('SIGTERM');
        assert.equal((await withTimeout(copy.exited, 40_000, `copy ${cycle} exit`)).code, 0);
      }
      await eventually(
        () => h.committed(groupId),
        (n) => n === EVENTS,
        { timeoutMs: 120_000, intervalMs: 500 },
      );
      const delivered = await h.delivered();
      console.log(`[rebalance x${CYCLES}] ${JSON.stringify(delivered)}`);
      assert.equal(delivered.distinct, EVENTS, 'nothing lost');
      assert.equal(delivered.deadLetters, 0);
      // Each move can redo, on the partitions that moved, what had been handled there but not yet committed.
      assert.ok(delivered.duplicates <= 2 * CYCLES * MAX_IN_FLIGHT, `duplicates ${delivered.duplicates}`);
    } finally {
      steady.child.kill('SIGTERM');
      for (const p of moving) p.child.kill('SIGKILL');
      await withTimeout(steady.exited, 40_000, 'steady exit').catch(() => steady.child.kill('SIGKILL'));
      await h.close();
    }
  },
);
