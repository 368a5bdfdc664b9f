// Chaos: a stage process killed with SIGKILL mid-work and restarted loses nothing; duplicates are exactly the
// uncommitted window at the kill (outputs written past the committed position); in exactly-once mode a
// read-committed consumer sees zero duplicates.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as delay } from 'node:timers/promises';
import { createHarness, type Harness } from '../helpers/kafka-harness.ts';
import { spawnStage, withTimeout } from '../helpers/stage-process.ts';

const EVENTS = 400;

async function waitForOutputs(h: Harness, atLeast: number, timeoutMs: number): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const offsets = await h.admin.fetchTopicOffsets(h.output);
    const count = offsets.reduce((n, p) => n + Number(p.high) - Number(p.low), 0);
    if (count >= atLeast || Date.now() > deadline) return count;
    await delay(100);
  }
}

async function killAndRestart(exactlyOnce: boolean) {
  const h = await createHarness(exactlyOnce ? 'kill-eos' : 'kill', { partitions: 4 });
  const env = {
    TOPIC_PREFIX: h.prefix,
    STAGE_CONCURRENCY: '16',
    STAGE_MAX_IN_FLIGHT: '64',
    EXACTLY_ONCE: String(exactlyOnce),
    FIXTURE_DELAY_MS: '15',
    FIXTURE_INSTANCE_ID: 'only',
  };
  const groupId = `${h.prefix}asmvs.vs_normalization`;
  const first = spawnStage('vs_normalization', env);
  let second: ReturnType<typeof spawnStage> | undefined;
  try {
    const items = [];
    for (let seq = 0; seq < EVENTS / 40; seq += 1)
      for (let k = 0; k < 40; k += 1) items.push({ key: `asset-${k}`, seq });
    await h.produceRaw(items);
    await withTimeout(first.assigned, 30_000, 'first process assigned');
    // Kill in the middle of the work (raw offsets, so uncommitted transactional records count too).
    await waitForOutputs(h, EVENTS / 4, 30_000);
    first.child.kill('SIGKILL');
    await first.exited;
    const committedAtKill = await h.committed(groupId);
    const outputsAtKill = await waitForOutputs(h, 0, 0); // raw record count, aborted transactions included
    second = spawnStage('vs_normalization', env);
    await withTimeout(second.assigned, 30_000, 'second process assigned');
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      if ((await h.committed(groupId)) >= EVENTS) break;
      await delay(250);
    }
    const records = await h.read(h.output, EVENTS * 2, 3_000);
    const ids = await Promise.all(records.map(async (r) => (await h.decodeFinding(r.value as Buffer)).fingerprint));
    const distinct = new Set(ids);
    const duplicates = ids.length - distinct.size;
    const dlq = await h.read(h.dlq, 1, 1_000);
    console.log(
      `[${exactlyOnce ? 'exactly-once' : 'at-least-once'}] outputs at kill ${outputsAtKill}, committed at kill ${committedAtKill}, ` +
        `outputs read ${ids.length}, distinct ${distinct.size}, duplicates ${duplicates}, dead letters ${dlq.length}`,
    );
    assert.equal(distinct.size + dlq.length, EVENTS, 'every input ended as its output or in the DLQ');
    assert.equal(await h.committed(groupId), EVENTS);
    return { duplicates, committedAtKill, outputsAtKill };
  } finally {
    first.child.kill('SIGKILL');
    second?.child.kill('SIGTERM');
    if (second)
      await withTimeout(second.exited, 40_000, 'second process exit').catch(() => second?.child.kill('SIGKILL'));
    await h.close();
  }
}

test(
  'at-least-once: SIGKILL mid-work, restart: nothing lost, duplicates only from the in-flight window',
  { timeout: 150_000 },
  async () => {
    const { duplicates, committedAtKill, outputsAtKill } = await killAndRestart(false);
    // Exactly what finished past the committed position at the kill is redone, once.
    assert.equal(duplicates, outputsAtKill - committedAtKill);
    assert.ok(committedAtKill < EVENTS, 'the kill happened mid-work');
  },
);

test(
  'exactly-once: SIGKILL mid-work, restart: zero duplicates for a read-committed consumer',
  { timeout: 150_000 },
  async () => {
    const { duplicates, committedAtKill } = await killAndRestart(true);
    assert.equal(duplicates, 0);
    assert.ok(committedAtKill < EVENTS, 'the kill happened mid-work');
  },
);
