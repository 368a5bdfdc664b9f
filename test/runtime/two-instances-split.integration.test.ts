// Must show: two instances in one group split the partitions and together process everything once.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createStageRunner, type StageRunner } from '../../src/runtime/kafka/stage-runner.ts';
import type { RawFinding } from '../../src/schemas/types.gen.ts';
import { echoProcessor } from '../helpers/fixtures/echo-processor.ts';
import { capturingLogger, createHarness, until } from '../helpers/kafka-harness.ts';

test('two instances split 6 partitions and process 600 events once', { timeout: 90_000 }, async () => {
  const h = await createHarness('split', { partitions: 6 });
  const runners: StageRunner[] = [];
  const logs: ReturnType<typeof capturingLogger>[] = [];
  const handled: Map<string, number>[] = [];
  const partitionsOf: Set<number>[] = [];
  try {
    for (let i = 0; i < 2; i += 1) {
      const log = capturingLogger();
      const seen = new Map<string, number>();
      const parts = new Set<number>();
      logs.push(log);
      handled.push(seen);
      partitionsOf.push(parts);
      const runner = createStageRunner({
        processor: echoProcessor(),
        deps: { delayMs: 2, onAttempt: (raw: RawFinding) => seen.set(raw.eventId, (seen.get(raw.eventId) ?? 0) + 1) },
        kafka: h.kafka,
        codec: h.codec,
        topicPrefix: h.prefix,
        runtime: h.config.runtime,
        logger: log.logger,
        consumer: { sessionTimeoutMs: 10_000, heartbeatIntervalMs: 500 },
      });
      runners.push(runner);
      await runner.start();
    }
    const lastAssignment = (i: number) =>
      [...(logs[i]?.lines ?? [])].reverse().find((l) => l['msg'] === 'assigned')?.['partitions'] as
        number[] | undefined;
    await until(() => lastAssignment(0)?.length === 3 && lastAssignment(1)?.length === 3, 30_000, 'a 3 + 3 split');
    const [a, b] = [lastAssignment(0) ?? [], lastAssignment(1) ?? []];
    assert.deepEqual([...a, ...b].sort(), [0, 1, 2, 3, 4, 5]);
    const items = [];
    for (let seq = 0; seq < 6; seq += 1) for (let k = 0; k < 100; k += 1) items.push({ key: `asset-${k}`, seq });
    await h.produceRaw(items);
    const out = await h.read(h.output, 600, 40_000);
    const ids = await Promise.all(out.map(async (r) => (await h.decodeFinding(r.value as Buffer)).fingerprint));
    assert.equal(ids.length, 600);
    assert.equal(new Set(ids).size, 600, 'each event once');
    const [ha, hb] = handled as [Map<string, number>, Map<string, number>];
    assert.ok(ha.size > 0 && hb.size > 0, `both worked (${ha.size} + ${hb.size})`);
    assert.equal(ha.size + hb.size, 600);
    for (const id of ha.keys()) assert.ok(!hb.has(id), `${id} handled by both`);
    for (const m of [ha, hb]) for (const [id, n] of m) assert.equal(n, 1, `${id} handled ${n} times`);
    console.log(
      `[split] instance A partitions ${a.join(',')} handled ${ha.size}; instance B partitions ${b.join(',')} handled ${hb.size}`,
    );
  } finally {
    for (const r of runners) await r.stop();
    await h.close();
  }
});
