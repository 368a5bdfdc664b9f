// `asmvs monitor add|list|remove` on the real stack: monitors are events in the compacted monitors topic; a refused
// add or remove exits non-zero with the reason and leaves the topic untouched.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { createTopics } from '../../src/admin/topics.ts';
import { pipelineTopics } from '../../src/topology.ts';
import { readToEnd } from '../../src/runtime/kafka/read-topic.ts';
import { requireKafka } from '../../src/config/config.ts';
import { createKafka } from '../../src/runtime/kafka/client.ts';
import { topicEnd } from '../../src/runtime/kafka/read-topic.ts';
import type { MonitorEvent } from '../../src/schemas/types.gen.ts';
import { runCli } from '../helpers/cli.ts';
import { KAFKA_BROKERS, SCHEMA_REGISTRY_URL, stackConfig, uniquePrefix } from '../helpers/stack.ts';

const prefixes: string[] = [];

/** A fresh set of topics under its own prefix, and the environment the CLI needs to use them. */
async function freshTopics(label: string) {
  const prefix = uniquePrefix(label);
  prefixes.push(prefix);
  const env = { KAFKA_BROKERS, SCHEMA_REGISTRY_URL, TOPIC_PREFIX: prefix, TOPIC_PARTITIONS: '3', LOG_LEVEL: 'silent' };
  const config = stackConfig(env);
  await createTopics(config);
  return { env, config };
}

async function monitorEvents(config: ReturnType<typeof stackConfig>) {
  const events: { key: string | null; value: MonitorEvent }[] = [];
  await readToEnd(config, 'monitors', AbortSignal.timeout(30_000), (r) => {
    if (r.value) events.push({ key: r.key, value: r.value });
  });
  return events.sort((a, b) => a.value.producedAt - b.value.producedAt);
}

after(async () => {
  const admin = createKafka(requireKafka(stackConfig()), 'monitor-cleanup').admin();
  await admin.connect();
  const names = pipelineTopics({ rawFindingsRetentionMs: 1 }).map((s) => s.name);
  await admin.deleteTopics({ topics: prefixes.flatMap((p) => names.map((n) => p + n)) }).catch(() => undefined);
  await admin.disconnect();
});

test('add, list and remove round-trip through the monitors topic', async () => {
  const { env, config } = await freshTopics('monitor');
  const added = await runCli(
    [
      'monitor',
      'add',
      'WWW.Example.ORG.',
      '--every',
      '1d',
      '--scope',
      'example.org,!dev.example.org',
      '--label',
      'team=web',
    ],
    env,
  );
  assert.equal(added.code, 0, added.stderr);
  assert.match(added.stdout, /^monitoring www\.example\.org: every 1d, scope example\.org,!dev\.example\.org, /);
  const local = await runCli(['monitor', 'add', '127.0.0.1', '--every', '2h', '--ports', '22,80', '--no-scan'], env);
  assert.equal(local.code, 0, local.stderr);

  const listed = await runCli(['monitor', 'list'], env);
  assert.equal(listed.code, 0, listed.stderr);
  const rows = listed.stdout.trimEnd().split('\n');
  assert.match(rows[0] ?? '', /^target\s+every\s+scope\s+ports\s+added at$/);
  assert.match(rows[2] ?? '', /^127\.0\.0\.1\s+2h\s+-\s+22,80\s+\d{4}-\d\d-\d\dT/);
  assert.match(rows[3] ?? '', /^www\.example\.org\s+1d\s+example\.org,!dev\.example\.org\s+profile default\s+\d{4}-/);
  assert.equal(rows.length, 4);

  const json = await runCli(['monitor', 'list', '--json'], env);
  const monitors = json.stdout
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { target: string; everyMs: number; scanAfterDiscovery: boolean; labels: object });
  assert.deepEqual(
    monitors.map((m) => [m.target, m.everyMs, m.scanAfterDiscovery, m.labels]),
    [
      ['127.0.0.1', 7_200_000, false, {}],
      ['www.example.org', 86_400_000, true, { team: 'web' }],
    ],
  );

  const removed = await runCli(['monitor', 'remove', 'www.EXAMPLE.org'], env);
  assert.equal(removed.code, 0, removed.stderr);
  assert.equal(removed.stdout, 'removed monitor www.example.org\n');
  const after = await runCli(['monitor', 'list'], env);
  assert.doesNotMatch(after.stdout, /example\.org/);
  assert.match(after.stdout, /^127\.0\.0\.1\s+2h/m);

  const again = await runCli(['monitor', 'remove', 'www.example.org'], env);
  assert.equal(again.code, 2);
  assert.match(again.stderr, /no active monitor for "www\.example\.org"/);
  assert.equal(again.stdout, '');

  const events = await monitorEvents(config);
  assert.deepEqual(
    events.map((e) => [e.key, e.value.action, e.value.monitorId, e.value.everyMs]),
    [
      ['www.example.org', 'ADD', 'www.example.org', 86_400_000],
      ['127.0.0.1', 'ADD', '127.0.0.1', 7_200_000],
      ['www.example.org', 'REMOVE', 'www.example.org', 0],
    ],
    'keyed by the canonical target; the refused remove produced nothing',
  );
});

test('refused adds and removes exit non-zero with the reason and store nothing', async () => {
  const { env, config } = await freshTopics('monitor-refused');
  const cases: [string[], Record<string, string>, RegExp][] = [
    [['example.org', '--every', 'daily'], {}, /--every: "daily" is not a duration; write .* e\.g\. 90s, 15m, 24h/],
    [['example.org', '--every', '30m'], {}, /--every 30m is below the operator's minimum interval of 1h/],
    [['example.org', '--every', '2h'], { MONITOR_MIN_INTERVAL_MS: '86400000' }, /minimum interval of 1d/],
    [
      ['10.1.2.3', '--every', '1d'],
      { SCOPE_DENY: '10.0.0.0/8' },
      /10\.1\.2\.3 is out of scope: denied by the operator/,
    ],
    [['evil.test', '--every', '1d'], { SCOPE_ALLOW: 'example.org' }, /evil\.test is out of scope: not in the operator/],
    [['169.254.169.254', '--every', '1d'], {}, /cloud-metadata/],
  ];
  for (const [args, extra, reason] of cases) {
    const result = await runCli(['monitor', 'add', ...args], { ...env, ...extra });
    assert.equal(result.code, 2, `${args.join(' ')}: ${result.stderr}`);
    assert.match(result.stderr, reason);
    assert.equal(result.stdout, '');
  }
  const remove = await runCli(['monitor', 'remove', 'example.org'], env);
  assert.equal(remove.code, 2);
  assert.match(remove.stderr, /no active monitor for "example\.org"/);

  const ends = await topicEnd(config, 'monitors');
  assert.deepEqual(Object.values(ends), ['0', '0', '0'], 'not one record in the monitors topic');
  assert.equal((await monitorEvents(config)).length, 0);
});
