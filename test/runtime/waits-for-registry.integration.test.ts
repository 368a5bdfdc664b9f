// A schema registry that does not answer is infrastructure being unavailable, not a fault of the events: events whose
// writer schema the stage has not cached wait for the registry (not ready, input paused) and are handled once it is
// back — no dead letters, no retry budget spent — and a stage started while it is down waits for it instead of
// exiting. The registry is the shared one behind a proxy that the test takes down (connection refused).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import pino from 'pino';
import { createStageRunner } from '../../src/runtime/kafka/stage-runner.ts';
import { createRegistryCodec } from '../../src/schemas/codec.ts';
import { createMetrics } from '../../src/observability/metrics.ts';
import { newerRawFindings, registryProxy } from '../helpers/registry-outage.ts';
import { eventually } from '../helpers/eventually.ts';
import { createHarness, type Harness } from '../helpers/kafka-harness.ts';
import { echoProcessor } from '../helpers/fixtures/echo-processor.ts';
import { spawnStage, withTimeout } from '../helpers/stage-process.ts';

const outputs = async (h: Harness, topic: string) =>
  (await h.admin.fetchTopicOffsets(topic)).reduce((n, p) => n + Number(p.high) - Number(p.low), 0);

test(
  'registry down while events with a schema id the stage never saw arrive: no dead letter, all handled after it',
  { timeout: 120_000 },
  async () => {
    const h = await createHarness('registry-outage', { partitions: 2 });
    const { proxy, url } = await registryProxy();
    const metrics = createMetrics();
    const runtime = {
      ...h.config.runtime,
      retry: { maxAttempts: 3, baseMs: 20, maxMs: 100 },
      outageRetryMaxMs: 200,
    };
    const runner = createStageRunner({
      processor: echoProcessor(),
      deps: {},
      kafka: h.kafka,
      codec: createRegistryCodec({ url, topicPrefix: h.prefix }),
      topicPrefix: h.prefix,
      runtime,
      logger: pino({ level: 'silent' }),
      metrics,
    });
    const waits = async () =>
      (await metrics.outageWaits?.get())?.values.find((v) => v.labels.code === 'REGISTRY_UNAVAILABLE')?.value ?? 0;
    try {
      await runner.start();
      await h.produceRaw(Array.from({ length: 10 }, (_, seq) => ({ key: `a${seq % 3}`, seq })));
      await eventually(
        () => outputs(h, h.output),
        (n) => n === 10,
        { timeoutMs: 30_000 },
      );
      assert.ok(runner.health.ready());

      const newer = await newerRawFindings(h.prefix);
      await proxy.down();
      for (let seq = 10; seq < 40; seq += 1) await h.produceBytes(`a${seq % 3}`, newer(`a${seq % 3}`, seq));
      // Down for longer than the retry budget lasts: the events would be dead letters by now had they spent it.
      await eventually(
        async () => ({ waits: await waits(), dead: await outputs(h, h.dlq), ready: runner.health.ready() }),
        (s) => s.dead > 0 || (s.waits >= 3 * runtime.retry.maxAttempts && !s.ready),
        { timeoutMs: 30_000 },
      );
      assert.equal(await outputs(h, h.dlq), 0, 'nothing dead-lettered while the registry was down');
      assert.equal(runner.health.ready(), false, 'not ready while it waits');
      await proxy.up();
      await eventually(
        () => outputs(h, h.output),
        (n) => n >= 40,
        { timeoutMs: 60_000 },
      );
      await eventually(
        () => h.committed(),
        (n) => n === 40,
        { timeoutMs: 30_000 },
      );
      assert.equal(await outputs(h, h.output), 40);
      assert.equal(await outputs(h, h.dlq), 0);
      await eventually(
        async () => runner.health.ready(),
        (ready) => ready,
        { timeoutMs: 10_000 },
      );
      const gauge = (await metrics.unavailable.get()).values.find((v) => v.labels.code === 'REGISTRY_UNAVAILABLE');
      assert.equal(gauge?.value, 0, 'the outage gauge is back to 0');
    } finally {
      await runner.stop();
      await proxy.close();
      await h.close();
    }
  },
);

test(
  'a stage started while the registry is down waits for it (it does not exit), then runs',
  { timeout: 120_000 },
  async () => {
    const h = await createHarness('registry-start', { partitions: 2 });
    const { proxy, url } = await registryProxy();
    await proxy.down();
    const stage = spawnStage('vs_normalization', {
      TOPIC_PREFIX: h.prefix,
      SCHEMA_REGISTRY_URL: url,
      RETRY_BASE_MS: '50',
      OUTAGE_RETRY_MAX_MS: '300',
    });
    try {
      await h.produceRaw(Array.from({ length: 10 }, (_, seq) => ({ key: `b${seq % 2}`, seq })));
      const exitedEarly = stage.exited.then((e) => `exited with ${e.code ?? e.signal}: ${stage.stderr.join('')}`);
      const waiting = eventually(
        async () => stage.stdout.some((l) => l.includes('schema registry is unavailable')),
        (seen) => seen,
        { timeoutMs: 30_000 },
      ).then(() => 'waiting');
      assert.equal(await Promise.race([waiting, exitedEarly]), 'waiting');
      await proxy.up();
      await withTimeout(stage.assigned, 60_000, 'assigned once the registry answers');
      await eventually(
        () => outputs(h, h.output),
        (n) => n === 10,
        { timeoutMs: 60_000 },
      );
      assert.ok(stage.stdout.some((l) => l.includes('schema registry is available again')));
      stage.child.kill('SIGTERM');
      assert.equal((await withTimeout(stage.exited, 40_000, 'exit')).code, 0);
    } finally {
      stage.child.kill('SIGKILL');
      await proxy.close();
      await h.close();
    }
  },
);
