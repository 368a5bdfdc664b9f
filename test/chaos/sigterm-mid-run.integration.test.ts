// Must show: clean SIGTERM drains, exits 0, and the committed position equals the events finished.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as delay } from 'node:timers/promises';
import { createHarness } from './kafka-harness.ts';
import { spawnStage, withTimeout } from './stage-process.ts';

test('SIGTERM mid-work: exit 0, committed position = events finished', { timeout: 120_000 }, async () => {
  const h = await createHarness('sigterm', { partitions: 4 });
  const groupId = `${h.prefix}asmvs.vs_normalization`;
  const p = spawnStage('vs_normalization', {
    TOPIC_PREFIX: h.prefix,
    STAGE_CONCURRENCY: '16',
    STAGE_MAX_IN_FLIGHT: '100',
    FIXTURE_DELAY_MS: '20',
    SHUTDOWN_DEADLINE_MS: '20000',
  });
  try {
    const items = [];
    for (let seq = 0; seq < 20; seq += 1) for (let k = 0; k < 50; k += 1) items.push({ key: `asset-${k}`, seq });
    await h.produceRaw(items);
    await withTimeout(p.assigned, 30_000, 'assigned');
    for (;;) {
      const offsets = await h.admin.fetchTopicOffsets(h.output);
      if (offsets.reduce((n, o) => n + Number(o.high), 0) >= 200) break;
      await delay(50);
    }
    p.child.kill('SIGTERM');
    const { code } = await withTimeout(p.exited, 40_000, 'exit after SIGTERM');
    assert.equal(code, 0, p.stderr.join(''));
    const outputs = await h.read(h.output, 1_000, 3_000);
    const ids = new Set(
      await Promise.all(outputs.map(async (r) => (await h.decodeFinding(r.value as Buffer)).fingerprint)),
    );
    const committed = await h.committed(groupId);
    console.log(`[sigterm] finished ${ids.size} (outputs ${outputs.length}), committed ${committed} of 1000`);
    assert.equal(outputs.length, ids.size, 'no duplicates in a clean run');
    assert.ok(committed < 1_000, 'stopped mid-work');
    assert.equal(committed, ids.size);
    assert.ok(p.stdout.some((l) => l.includes('"msg":"stage stopped"')));
  } finally {
    p.child.kill('SIGKILL');
    await h.close();
  }
});
