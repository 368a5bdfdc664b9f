// The runner conformance scenarios on the Kafka runner, on the real stack (the same list runs on the local runner in
// local-runner.test.ts). Each scenario gets its own topics; the run is over when the group has committed every input
// and the expected outputs and dead letters are there; then both topics are read to their end, so that an extra
// output or dead letter fails the scenario too.
import { test } from 'node:test';
import pino from 'pino';
import { createKafka } from '../../../src/runtime/kafka/client.ts';
import { createStageRunner } from '../../../src/runtime/kafka/stage-runner.ts';
import { headersAsStrings } from '../../../src/runtime/dead-letter.ts';
import { createRegistryCodec, subjectOf, type Codec } from '../../../src/schemas/codec.ts';
import { requireKafka } from '../../../src/config/config.ts';
import type { Finding, RawFinding } from '../../../src/schemas/types.gen.ts';
import { SCHEMA_REGISTRY_URL, stackConfig, uniquePrefix } from '../../helpers/stack.ts';
import { eventually } from '../../helpers/eventually.ts';
import { readAll } from '../../helpers/read-all.ts';
import { SCENARIOS, assertCounts, type RunResult, type ScenarioRun } from './scenarios.ts';

const PARTITIONS = 3;
const TOPICS = ['raw-findings', 'normalized-findings', 'raw-findings.dlq', 'keyed-state'] as const;

async function runOnKafka(run: ScenarioRun): Promise<RunResult> {
  const prefix = uniquePrefix('conformance');
  const config = stackConfig({ TOPIC_PREFIX: prefix });
  const kafka = createKafka(requireKafka(config), 'test-conformance');
  const codec: Codec = createRegistryCodec({ url: SCHEMA_REGISTRY_URL, topicPrefix: prefix });
  const admin = kafka.admin();
  await admin.connect();
  const [input, output, dlq] = TOPICS.map((t) => prefix + t) as [string, string, string];
  await admin.createTopics({
    waitForLeaders: true,
    topics: TOPICS.map((t) => ({ topic: prefix + t, numPartitions: PARTITIONS, replicationFactor: 1 })),
  });
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  const runner = createStageRunner({
    processor: run.processor,
    deps: run.deps,
    kafka,
    codec,
    topicPrefix: prefix,
    runtime: { ...config.runtime, ...run.runtime },
    logger: pino({ level: 'silent' }),
  });
  const groupId = `${prefix}asmvs.${run.processor.name}`;
  const count = async (topic: string) =>
    (await admin.fetchTopicOffsets(topic)).reduce((n, p) => n + Number(p.high) - Number(p.low), 0);
  const committed = async () =>
    ((await admin.fetchOffsets({ groupId, topics: [input] }))[0]?.partitions ?? []).reduce(
      (n, p) => n + Math.max(0, Number(p.offset)),
      0,
    );
  try {
    await codec.register(['raw-findings']);
    await producer.connect();
    await producer.send({
      topic: input,
      acks: -1,
      messages: run.inputs.map((i) => ({
        key: i.key,
        value: codec.encode('raw-findings', i.value),
        headers: i.headers ?? {},
      })),
    });
    await runner.start();
    await eventually(
      async () => ({ outputs: await count(output), deadLetters: await count(dlq), committed: await committed() }),
      (n) =>
        n.outputs >= run.expect.outputs && n.deadLetters >= run.expect.deadLetters && n.committed >= run.inputs.length,
      { timeoutMs: 60_000, intervalMs: 100 },
    );
    await runner.stop();
    const outputs = await readAll(kafka, admin, output, `${prefix}read-out`);
    const dead = await readAll(kafka, admin, dlq, `${prefix}read-dlq`);
    return {
      outputs: await Promise.all(
        outputs.map(async (r) => ({
          key: r.key ?? '',
          value: (await codec.decode('normalized-findings', r.value as Buffer)) as Finding,
          headers: headersAsStrings(r.headers),
        })),
      ),
      deadLetters: await Promise.all(
        dead.map(async (r) => ({
          key: r.key,
          value: (await codec.decode('raw-findings', r.value as Buffer)) as RawFinding,
          headers: headersAsStrings(r.headers),
        })),
      ),
    };
  } finally {
    await runner.stop();
    await producer.disconnect().catch(() => undefined);
    const groups = (await admin.listGroups()).groups.map((g) => g.groupId).filter((g) => g.startsWith(prefix));
    await admin.deleteGroups(groups).catch(() => undefined);
    await admin.deleteTopics({ topics: TOPICS.map((t) => prefix + t) }).catch(() => undefined);
    await admin.disconnect();
    for (const topic of ['raw-findings', 'normalized-findings', 'keyed-state']) {
      const url = `${SCHEMA_REGISTRY_URL}/subjects/${encodeURIComponent(subjectOf(topic, prefix))}`;
      await fetch(url, { method: 'DELETE' }).catch(() => undefined);
      await fetch(`${url}?permanent=true`, { method: 'DELETE' }).catch(() => undefined);
    }
  }
}

for (const scenario of SCENARIOS) {
  test(`Kafka runner: ${scenario.name}`, { timeout: 90_000 }, async () => {
    const run = scenario.setUp();
    const result = await runOnKafka(run);
    assertCounts(result, run);
    run.check(result);
  });
}
