// Two copies of vs_normalization in one group (separate processes, as `asmvs run` starts them) split the
// partitions; one is killed with SIGKILL mid-run and the other takes over: every raw finding still ends as its
// findings. Duplicates from the killed copy's in-flight window are allowed (at-least-once) and counted.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createTopics } from '../../src/admin/topics.ts';
import { pipelineTopics } from '../../src/topology.ts';
import { publishEvents } from '../../src/runtime/kafka/publish.ts';
import { readTopic } from '../../src/runtime/kafka/read-topic.ts';
import { createKafka } from '../../src/runtime/kafka/client.ts';
import { requireKafka } from '../../src/config/config.ts';
import { rawOf } from '../normalizers/raw.ts';
import { eventually } from '../helpers/eventually.ts';
import { KAFKA_BROKERS, SCHEMA_REGISTRY_URL, stackConfig, uniquePrefix } from '../helpers/stack.ts';

const N = 2_000;
const prefix = uniquePrefix('copies');
const env = {
  KAFKA_BROKERS,
  SCHEMA_REGISTRY_URL,
  TOPIC_PREFIX: prefix,
  TOPIC_PARTITIONS: '6',
  METRICS_PORT: '0',
  LOG_LEVEL: 'warn',
  STAGE_CONCURRENCY: '4',
};
const config = stackConfig(env);
const admin = createKafka(requireKafka(config), 'copies-test').admin();
const BIN = fileURLToPath(new URL('../../bin/asmvs.js', import.meta.url));
const children: ChildProcess[] = [];

function startCopy(instance: string): ChildProcess {
  const child = spawn(
    process.execPath,
    ['--disable-warning=TimeoutNegativeWarning', BIN, 'run', 'vs_normalization', '--instance', instance],
    {
      env: { PATH: process.env['PATH'] ?? '', ...env },
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
  children.push(child);
  return child;
}

function report(i: number): string {
  const host = `127.0.${i >> 8}.${i & 255}`;
  return JSON.stringify({
    schema: 'asmvs-checks/1',
    scanner: { name: 'asmvs-checks', version: '0.1.0' },
    target: host,
    complete: true,
    truncated: false,
    hosts: [],
    services: [{ host, port: 6379, protocol: 'TCP', state: 'open', service: 'redis' }],
    checks: [
      {
        id: 'redis-unauthenticated',
        title: 'Redis accepts commands without authentication',
        severity: 'high',
        type: 'EXPOSURE',
        host,
        port: 6379,
        protocol: 'tcp',
      },
    ],
  });
}

before(async () => {
  await admin.connect();
  await createTopics(config);
});

after(async () => {
  for (const c of children) c.kill('SIGKILL');
  await admin
    .deleteTopics({ topics: pipelineTopics({ rawFindingsRetentionMs: 1 }).map((s) => prefix + s.name) })
    .catch(() => undefined);
  await admin.disconnect();
});

async function findingsSoFar(): Promise<string[]> {
  const ids: string[] = [];
  await readTopic(
    config,
    'normalized-findings',
    { from: 'earliest', signal: AbortSignal.timeout(2_500) },
    (r) => void (r.value && ids.push(r.value.fingerprint)),
  );
  return ids;
}

test('two copies split the partitions; killing one mid-run loses nothing', async () => {
  const a = startCopy('copy-a');
  startCopy('copy-b');
  const groupId = `${prefix}asmvs.vs_normalization`;
  const members = async () => (await admin.describeGroups([groupId])).groups[0]?.members ?? [];
  const joined = await eventually(members, (m) => m.length === 2, { timeoutMs: 60_000, intervalMs: 250 });
  assert.equal(joined.length, 2, 'both copies are members of the one group');

  const events = Array.from({ length: N }, (_, i) => ({
    key: `asset-${i}`,
    value: rawOf(report(i), {
      eventId: `raw-${i}`,
      scanId: `scan-${i}`,
      assetId: `asset-${i}`,
      target: `127.0.${i >> 8}.${i & 255}`,
      scanner: { name: 'asmvs-checks', version: '0.1.0' },
      format: 'asmvs-checks-json',
    }),
  }));
  await publishEvents(config, 'raw-findings', events);
  const firstOutputs = async () =>
    (await admin.fetchTopicOffsets(`${prefix}normalized-findings`)).reduce((n, p) => n + Number(p.high), 0);
  const atKill = await eventually(firstOutputs, (n) => n > 0, { timeoutMs: 60_000, intervalMs: 10 });
  a.kill('SIGKILL');
  assert.ok(atKill < 2 * N, `the kill came mid-run (${atKill} of ${2 * N} findings written)`);

  const all = await eventually(findingsSoFar, (ids) => new Set(ids).size >= 2 * N, {
    timeoutMs: 120_000,
    intervalMs: 1_000,
  });
  const distinct = new Set(all).size;
  assert.equal(distinct, 2 * N, 'every raw finding ended as its two findings');
  console.log(
    `two copies, one killed: ${all.length} findings written for ${distinct} distinct (${all.length - distinct} duplicates from the in-flight window)`,
  );
});
