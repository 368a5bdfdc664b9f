// `asmvs topics create` on the real stack: every topic with its partitions and policy, every subject registered,
// idempotent on a second run; and a missing or malformed setting stops it with the variable's name.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'undici';
import { runCli } from '../helpers/cli.ts';
import { KAFKA_BROKERS, SCHEMA_REGISTRY_URL, stackConfig, uniquePrefix } from '../helpers/stack.ts';
import { createKafka } from '../../src/runtime/kafka/client.ts';
import { requireKafka } from '../../src/config/config.ts';
import { pipelineTopics } from '../../src/topology.ts';
import { SCHEMA_TOPICS } from '../../src/schemas/registry-files.ts';

const prefix = uniquePrefix('topics');
const env = {
  KAFKA_BROKERS,
  SCHEMA_REGISTRY_URL,
  TOPIC_PREFIX: prefix,
  TOPIC_PARTITIONS: '2',
  RAW_FINDINGS_RETENTION_MS: '-1',
};

after(async () => {
  const admin = createKafka(requireKafka(stackConfig()), 'topics-test').admin();
  await admin.connect();
  await admin
    .deleteTopics({ topics: pipelineTopics({ rawFindingsRetentionMs: 1 }).map((s) => prefix + s.name) })
    .catch(() => undefined);
  await admin.disconnect();
  for (const topic of SCHEMA_TOPICS) {
    const subject = encodeURIComponent(`${prefix}${topic}-value`);
    await request(`${SCHEMA_REGISTRY_URL}/subjects/${subject}`, { method: 'DELETE' }).then((r) => r.body.dump());
    await request(`${SCHEMA_REGISTRY_URL}/subjects/${subject}?permanent=true`, { method: 'DELETE' }).then((r) =>
      r.body.dump(),
    );
  }
});

interface Report {
  topics: { name: string; created: boolean; partitions: number; configs: Record<string, string> }[];
  subjects: { subject: string; schemaId: number }[];
}

test('creates every topic and registers every subject, then is idempotent', async () => {
  const first = await runCli(['topics', 'create', '--json'], env);
  assert.equal(first.code, 0, first.stderr);
  const report = JSON.parse(first.stdout) as Report;
  const expected = pipelineTopics({ rawFindingsRetentionMs: -1 });
  assert.deepEqual(report.topics.map((t) => t.name).sort(), expected.map((s) => prefix + s.name).sort());
  for (const t of report.topics) {
    const spec = expected.find((s) => prefix + s.name === t.name);
    assert.equal(t.created, true, t.name);
    assert.equal(t.partitions, 2, t.name);
    assert.equal(t.configs['cleanup.policy'], spec?.configs['cleanup.policy'], t.name);
  }
  assert.equal(report.topics.find((t) => t.name === `${prefix}raw-findings`)?.configs['retention.ms'], '-1');
  for (const name of ['raw-findings', 'raw-findings.dlq'])
    assert.equal(report.topics.find((t) => t.name === prefix + name)?.configs['max.message.bytes'], '16777216', name);

  const subjects = JSON.parse(await (await request(`${SCHEMA_REGISTRY_URL}/subjects`)).body.text()) as string[];
  for (const topic of SCHEMA_TOPICS) assert.ok(subjects.includes(`${prefix}${topic}-value`), topic);

  const second = await runCli(['topics', 'create', '--json'], env);
  assert.equal(second.code, 0, second.stderr);
  const again = JSON.parse(second.stdout) as Report;
  assert.ok(again.topics.every((t) => !t.created));
  assert.deepEqual(again.subjects, report.subjects);

  const described = await runCli(['topics'], env);
  assert.equal(described.code, 0, described.stderr);
  assert.match(described.stdout, new RegExp(`${prefix.replace('.', '\\.')}normalized-findings\\s+2\\s+compact`));
});

test('a missing KAFKA_BROKERS or a malformed SCHEMA_REGISTRY_URL stops start-up naming the variable', async () => {
  const missing = await runCli(['topics', 'create'], { SCHEMA_REGISTRY_URL });
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /KAFKA_BROKERS: required/);
  const malformed = await runCli(['topics', 'create'], { KAFKA_BROKERS, SCHEMA_REGISTRY_URL: 'registry:8081' });
  assert.equal(malformed.code, 2);
  assert.match(malformed.stderr, /SCHEMA_REGISTRY_URL: must be an http/);
  assert.equal(missing.stdout + malformed.stdout, '');
});
