// Must show: a handler longer than the session timeout causes no rebalance (heartbeats continue meanwhile).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createStageRunner } from '../../src/runtime/kafka/stage-runner.ts';
import { echoProcessor } from '../helpers/fixtures/echo-processor.ts';
import { capturingLogger, createHarness } from '../helpers/kafka-harness.ts';

test('a 9 s handler with a 6 s session timeout: one assignment, output once', { timeout: 60_000 }, async () => {
  const h = await createHarness('long', { partitions: 2 });
  const { logger, lines } = capturingLogger();
  const runner = createStageRunner({
    processor: echoProcessor(),
    deps: { delayMs: 9_000 },
    kafka: h.kafka,
    codec: h.codec,
    topicPrefix: h.prefix,
    runtime: h.config.runtime,
    logger,
    consumer: { sessionTimeoutMs: 6_000, heartbeatIntervalMs: 1_000 },
  });
  try {
    await h.produceRaw([{ key: 'slow', seq: 0 }]);
    const started = Date.now();
    await runner.start();
    const out = await h.read(h.output, 1, 20_000);
    assert.equal(out.length, 1);
    assert.ok(Date.now() - started >= 9_000);
    assert.equal(lines.filter((l) => l['msg'] === 'assigned').length, 1, 'no rebalance while the handler ran');
    assert.ok(runner.health.ready());
  } finally {
    await runner.stop();
    await h.close();
  }
});
