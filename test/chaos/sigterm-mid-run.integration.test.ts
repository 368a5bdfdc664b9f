// Chaos: SIGTERM a stage mid-work. It drains, commits exactly what it finished, exits 0; a restarted copy does the
// rest: every event handled exactly once (a clean stop leaves no duplicates), nothing dead-lettered.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { eventually } from '../helpers/eventually.ts';
import { createHarness } from '../helpers/kafka-harness.ts';
import { spawnStage, withTimeout, type StageProcess } from '../helpers/stage-process.ts';

const EVENTS = 1_000;

test(
  'SIGTERM mid-work: exit 0, committed = finished; after a restart every event once',
  { timeout: 120_000 },
  async () => {
    const h = await createHarness('sigterm', { partitions: 4 });
    const groupId = `${h.prefix}asmvs.vs_normalization`;
    const env = {
      TOPIC_PREFIX: h.prefix,
      STAGE_CONCURRENCY: '16',
      STAGE_MAX_IN_FLIGHT: '100',
      FIXTURE_DELAY_MS: '20',
      SHUTDOWN_DEADLINE_MS: '20000',
    };
    const first = spawnStage('vs_normalization', env);
    let second: StageProcess | undefined;
    try {
      const items = [];
      for (let seq = 0; seq < EVENTS / 50; seq += 1)
        for (let k = 0; k < 50; k += 1) items.push({ key: `asset-${k}`, seq });
      await h.produceRaw(items);
      await withTimeout(first.assigned, 30_000, 'assigned');
      await eventually(
        async () => (await h.admin.fetchTopicOffsets(h.output)).reduce((n, o) => n + Number(o.high), 0),
        (n) => n >= 200,
        { timeoutMs: 60_000 },
      );
      first.child.kill('SIGTERM');
      const { code } = await withTimeout(first.exited, 40_000, 'exit after SIGTERM');
      assert.equal(code, 0, first.stderr.join(''));
      assert.ok(first.stdout.some((l) => l.includes('"msg":"stage stopped"')));
      const atStop = await h.delivered();
      const committed = await h.committed(groupId);
      console.log(
        `[sigterm] finished ${atStop.distinct} (outputs ${atStop.outputs}), committed ${committed} of ${EVENTS}`,
      );
      assert.equal(atStop.duplicates, 0, 'no duplicates in a clean run');
      assert.ok(committed < EVENTS, 'stopped mid-work');
      assert.equal(committed, atStop.distinct, 'the committed position is exactly the work finished');

      second = spawnStage('vs_normalization', env);
      await eventually(
        () => h.committed(groupId),
        (n) => n === EVENTS,
        { timeoutMs: 60_000, intervalMs: 250 },
      );
      assert.deepEqual(await h.delivered(), { outputs: EVENTS, distinct: EVENTS, duplicates: 0, deadLetters: 0 });
    } finally {
      first.child.kill('SIGKILL');
      second?.child.kill('SIGTERM');
      if (second) await withTimeout(second.exited, 40_000, 'second exit').catch(() => second?.child.kill('SIGKILL'));
      await h.close();
    }
  },
);
