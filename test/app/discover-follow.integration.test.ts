// The scanning stages on the real stack: `asmvs discover 127.0.0.1 --follow` drives a request through all of them and
// normalized-findings then holds findings for this machine's real services, each traceable to its raw record.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createTopics } from '../../src/admin/topics.ts';
import { pipelineTopics } from '../../src/topology.ts';
import { runStages, type RunningStages } from '../../src/app/run-stages.ts';
import { readTopic } from '../../src/runtime/kafka/read-topic.ts';
import { createKafka } from '../../src/runtime/kafka/client.ts';
import { requireKafka } from '../../src/config/config.ts';
import type { Finding, RawFinding } from '../../src/schemas/types.gen.ts';
import { runCli } from '../helpers/cli.ts';
import { KAFKA_BROKERS, SCHEMA_REGISTRY_URL, stackConfig, uniquePrefix } from '../helpers/stack.ts';

const prefix = uniquePrefix('e2e');
const env = {
  KAFKA_BROKERS,
  SCHEMA_REGISTRY_URL,
  TOPIC_PREFIX: prefix,
  TOPIC_PARTITIONS: '3',
  METRICS_PORT: '0',
  LOG_LEVEL: 'silent',
};
const config = stackConfig(env);
const SCAN_STAGES = [
  'asm_discovery',
  'host_scan',
  'asm_progress',
  'asm_exposure',
  'vs_scan_trigger',
  'vs_result_fetcher',
  'vs_normalization',
];
let stages: RunningStages;

before(async () => {
  await createTopics(config);
  stages = await runStages(config, SCAN_STAGES, { groupId: `${prefix}g` });
});

after(async () => {
  await stages?.stop();
  const admin = createKafka(requireKafka(config), 'e2e-cleanup').admin();
  await admin.connect();
  await admin
    .deleteTopics({ topics: pipelineTopics({ rawFindingsRetentionMs: 1 }).map((s) => prefix + s.name) })
    .catch(() => undefined);
  await admin.disconnect();
});

async function readAll<T extends 'normalized-findings' | 'raw-findings'>(
  topic: T,
  until: (values: unknown[]) => boolean,
) {
  const values: { partition: number; offset: string; value: unknown }[] = [];
  const signal = AbortSignal.timeout(30_000);
  await readTopic(config, topic, { from: 'earliest', signal }, (r) => {
    if (r.value) values.push({ partition: r.partition, offset: r.offset, value: r.value });
    return until(values.map((v) => v.value)) ? 'stop' : undefined;
  });
  return values;
}

test('discover --follow completes and normalized-findings holds traceable findings for the real services', async () => {
  const result = await runCli(
    ['discover', '127.0.0.1', '--ports', '4222,5432,6379', '--follow', '--timeout', '120'],
    env,
    150_000,
  );
  assert.equal(result.code, 0, `${result.stdout}\n${result.stderr}`);
  assert.match(result.stdout, /completed: 1 addresses \(1 up, 0 down\), 1 assets, 1 scans finished, \d+ findings/);
  assert.match(
    result.stdout,
    /cli accepted: request in discovery-requests\n(.*\n)*.*asm_discovery running/,
    'accepted comes first',
  );
  const requestId = /^request (\S+)$/m.exec(result.stdout)?.[1] ?? '';
  const status = await runCli(['status', requestId], env, 90_000);
  assert.equal(status.code, 0, status.stdout + status.stderr);
  assert.match(status.stdout, /completed: 1 addresses \(1 up, 0 down\), 1 assets, 1 scans finished/);
  const unknown = await runCli(['status', 'no-such-request'], env, 90_000);
  assert.equal(unknown.code, 3);

  const hasRedisCheck = (vs: unknown[]) => (vs as Finding[]).some((f) => f.ruleId === 'redis-unauthenticated');
  const findings = (await readAll('normalized-findings', hasRedisCheck)).map((r) => r.value as Finding);
  const redis = findings.find((f) => f.ruleId === 'redis-unauthenticated');
  assert.ok(redis, 'redis-unauthenticated is reported');
  assert.equal(redis.asset.ip, '127.0.0.1');
  assert.equal(redis.asset.port, 6379);

  const raw = await readAll('raw-findings', (vs) => vs.length > 0);
  const source = raw.find(
    (r) => r.partition === redis.provenance.partition && r.offset === String(redis.provenance.offset),
  );
  assert.ok(source, 'the finding points at its raw record');
  assert.equal((source.value as RawFinding).scanId, redis.provenance.scanId);
  assert.match((source.value as RawFinding).payload.toString(), /redis-unauthenticated/);
});
