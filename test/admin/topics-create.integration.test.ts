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
import type { Admin } from 'kafkajs';

const prefix = uniquePrefix('topics');
const env = {
  KAFKA_BROKERS,
  SCHEMA_REGISTRY_URL,
  TOPIC_PREFIX: prefix,
  TOPIC_PARTITIONS: '2',
  RAW_FINDINGS_RETENTION_MS: '-1',
};
// a cluster made before raw-findings took 16 MiB (the upgrade test below)
const older = uniquePrefix('topics-old');

async function withAdmin<T>(use: (admin: Admin) => Promise<T>): Promise<T> {
  const admin = createKafka(requireKafka(stackConfig()), 'topics-test').admin();
  await admin.connect();
  try {
    return await use(admin);
  } finally {
    await admin.disconnect();
  }
}

after(async () => {
  await withAdmin((admin) =>
    admin
      .deleteTopics({
        topics: [prefix, older].flatMap((p) => pipelineTopics({ rawFindingsRetentionMs: 1 }).map((s) => p + s.name)),
      })
      .catch(() => undefined),
  );
  for (const p of [prefix, older])
    for (const topic of SCHEMA_TOPICS) {
      const subject = encodeURIComponent(`${p}${topic}-value`);
      await request(`${SCHEMA_REGISTRY_URL}/subjects/${subject}`, { method: 'DELETE' }).then((r) => r.body.dump());
      await request(`${SCHEMA_REGISTRY_URL}/subjects/${subject}?permanent=true`, { method: 'DELETE' }).then((r) =>
        r.body.dump(),
      );
    }
});

interface Report {
  topics: {
    name: string;
    created: boolean;
    partitions: number;
    configs: Record<string, string>;
    raised: { name: string; from: string; to: string }[];
    notRaised?: string;
  }[];
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

test("on topics made before, a max.message.bytes below 16 MiB is raised, the topic's other values kept", async () => {
  // raw-findings as an older `topics create` made it: the broker's default size, an operator's retention;
  // raw-findings.dlq raised by hand past the floor (kept as it is)
  await withAdmin((admin) =>
    admin.createTopics({
      waitForLeaders: true,
      topics: [
        {
          topic: `${older}raw-findings`,
          numPartitions: 2,
          configEntries: [
            { name: 'cleanup.policy', value: 'delete' },
            { name: 'retention.ms', value: '3600000' },
          ],
        },
        {
          topic: `${older}raw-findings.dlq`,
          numPartitions: 2,
          configEntries: [{ name: 'max.message.bytes', value: '33554432' }],
        },
      ],
    }),
  );
  const olderEnv = { ...env, TOPIC_PREFIX: older };
  const run = await runCli(['topics', 'create', '--json'], olderEnv);
  assert.equal(run.code, 0, run.stderr);
  const report = JSON.parse(run.stdout) as Report;
  const state = (name: string) => report.topics.find((t) => t.name === older + name);
  assert.equal(state('raw-findings')?.created, false);
  assert.deepEqual(state('raw-findings')?.raised, [{ name: 'max.message.bytes', from: '1048588', to: '16777216' }]);
  assert.deepEqual(state('raw-findings.dlq')?.raised, []);
  assert.ok(report.topics.every((t) => t.notRaised === undefined));
  // what the broker now holds: the floor raised, the operator's retention kept, the larger value left alone
  const described = await withAdmin((admin) =>
    admin.describeConfigs({
      includeSynonyms: false,
      resources: ['raw-findings', 'raw-findings.dlq'].map((t) => ({ type: 2, name: older + t })),
    }),
  );
  const value = (topic: string, config: string) =>
    described.resources
      .find((r) => r.resourceName === older + topic)
      ?.configEntries.find((e) => e.configName === config)?.configValue;
  assert.equal(value('raw-findings', 'max.message.bytes'), '16777216');
  assert.equal(value('raw-findings', 'retention.ms'), '3600000');
  assert.equal(value('raw-findings', 'cleanup.policy'), 'delete');
  assert.equal(value('raw-findings.dlq', 'max.message.bytes'), '33554432');
  // the second time, nothing more to raise (the table says `exists`)
  const again = await runCli(['topics', 'create'], olderEnv);
  assert.equal(again.code, 0, again.stderr);
  assert.match(again.stdout, new RegExp(`${older.replace('.', '\\.')}raw-findings\\s.*16777216\\s+exists\\s*$`, 'm'));
  assert.doesNotMatch(again.stdout, /raised/);
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
