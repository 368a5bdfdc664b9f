// Chaos: the schema registry does not answer for 30 s while events written with a schema id the stage has never
// seen keep arriving (a producer upgraded its schema). The stage waits for the registry — not ready, its input
// paused, one log line when it goes and one when it is back — and then handles every event once: none lost, none
// dead-lettered. The registry is the shared one behind a proxy the test takes down (connection refused), which
// also keeps its schemas (the in-memory registry of the local stack forgets them on a restart).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as delay } from 'node:timers/promises';
import { eventually } from '../helpers/eventually.ts';
import { newerRawFindings, registryProxy } from '../helpers/registry-outage.ts';
import { createHarness } from '../helpers/kafka-harness.ts';
import { spawnStage, withTimeout } from '../helpers/stage-process.ts';

const BEFORE = 500;
const DURING = 500;
const OUTAGE_MS = 30_000;

test(
  'registry down 30 s while new-schema events arrive: they wait, then all are handled once',
  { timeout: 180_000 },
  async () => {
    const h = await createHarness('chaos-registry', { partitions: 4 });
    const { proxy, url } = await registryProxy();
    const groupId = `${h.prefix}asmvs.vs_normalization`;
    const stage = spawnStage('vs_normalization', {
      TOPIC_PREFIX: h.prefix,
      SCHEMA_REGISTRY_URL: url,
      STAGE_CONCURRENCY: '16',
      OUTAGE_RETRY_MAX_MS: '2000',
    });
    const lines = (text: string) => stage.stdout.filter((l) => l.includes(text)).length;
    try {
      await h.produceRaw(Array.from({ length: BEFORE }, (_, seq) => ({ key: `asset-${seq % 25}`, seq })));
      await withTimeout(stage.assigned, 60_000, 'assigned');
      await eventually(
        () => h.committed(groupId),
        (n) => n === BEFORE,
        { timeoutMs: 60_000, intervalMs: 250 },
      );

      const newer = await newerRawFindings(h.prefix);
      await proxy.down();
      const downAt = Date.now();
      // New-schema events arrive through the outage, in five bursts.
      for (let burst = 0; burst < 5; burst += 1) {
        for (let i = 0; i < DURING / 5; i += 1) {
          const seq = BEFORE + burst * (DURING / 5) + i;
          await h.produceBytes(`asset-${seq % 25}`, newer(`asset-${seq % 25}`, seq));
        }
        await delay(OUTAGE_MS / 5);
      }
      await delay(Math.max(0, OUTAGE_MS - (Date.now() - downAt)));
      assert.equal(await h.committed(groupId), BEFORE, 'nothing of the new events was finished while it was down');
      assert.equal((await h.delivered()).deadLetters, 0, 'nor dead-lettered');
      await proxy.up();

      await eventually(
        () => h.committed(groupId),
        (n) => n === BEFORE + DURING,
        { timeoutMs: 90_000, intervalMs: 250 },
      );
      const delivered = await h.delivered();
      console.log(`[registry down ${OUTAGE_MS / 1000} s] ${JSON.stringify(delivered)}`);
      assert.deepEqual(delivered, {
        outputs: BEFORE + DURING,
        distinct: BEFORE + DURING,
        duplicates: 0,
        deadLetters: 0,
      });
      assert.equal(lines('the schema registry is unavailable'), 1, 'one line when it went');
      assert.equal(lines('the schema registry is available again'), 1, 'one line when it came back');
      stage.child.kill('SIGTERM');
      assert.equal((await withTimeout(stage.exited, 40_000, 'exit')).code, 0);
    } finally {
      stage.child.kill('SIGKILL');
      await proxy.close();
      await h.close();
    }
  },
);
