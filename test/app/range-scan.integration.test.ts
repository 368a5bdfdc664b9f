// A range scanned as users scan it, in network namespaces (test/helpers/netns-range.ts: 198.18.0.0/15 only, silent
// addresses drop SYNs unanswered): the one-shot scan finds every live host's services; on Kafka, host_scan runs in
// the scanner's namespace, asm_discovery and asm_progress here, and job-status counts are exact; kill -9 of host_scan
// mid-range leaves every live host's asset present and the request still completes with exact counts.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync, type ChildProcess } from 'node:child_process';
import { createTopics } from '../../src/admin/topics.ts';
import { runStages, type RunningStages } from '../../src/app/run-stages.ts';
import { requireKafka } from '../../src/config/config.ts';
import { createKafka } from '../../src/runtime/kafka/client.ts';
import { readTopic } from '../../src/runtime/kafka/read-topic.ts';
import type { Asset, Finding } from '../../src/schemas/types.gen.ts';
import { pipelineTopics } from '../../src/topology.ts';
import { canBuildNamespaces, createRangeLab, type RangeLab } from '../helpers/netns-range.ts';
import { hostScanCopy, scanOnKafka } from '../helpers/range-on-kafka.ts';
import { KAFKA_BROKERS, SCHEMA_REGISTRY_URL, stackConfig, uniquePrefix } from '../helpers/stack.ts';

const skip = canBuildNamespaces() ? false : 'needs root and ip netns (CI runs as root)';
const CLI = new URL('../../src/cli/main.ts', import.meta.url).pathname;
const portOf = (hostPort: string) => Number(hostPort.split(':').at(-1));
const prefix = uniquePrefix('range');
const env = {
  KAFKA_BROKERS,
  SCHEMA_REGISTRY_URL,
  TOPIC_PREFIX: prefix,
  TOPIC_PARTITIONS: '6',
  METRICS_PORT: '0',
  LOG_LEVEL: 'warn',
  // Nothing here resolves a name; if something did, it would stay on this machine.
  DNS_RESOLVER: '127.0.0.1:9',
};
const config = stackConfig({ ...env, LOG_LEVEL: 'silent' });
let lab: RangeLab;
let stages: RunningStages;
const copies: ChildProcess[] = [];

before(async () => {
  if (skip) return;
  lab = await createRangeLab({
    prefix: 24,
    live: 4,
    kafka: { ports: [portOf(KAFKA_BROKERS), Number(new URL(SCHEMA_REGISTRY_URL).port)] },
  });
  await createTopics(config);
  stages = await runStages(config, ['asm_discovery', 'asm_progress'], { groupId: `${prefix}g` });
});

after(async () => {
  if (skip) return;
  for (const c of copies) c.kill('SIGKILL');
  await stages?.stop();
  await lab?.close();
  const admin = createKafka(requireKafka(config), 'range-cleanup').admin();
  await admin.connect();
  await admin
    .deleteTopics({ topics: pipelineTopics({ rawFindingsRetentionMs: 1 }).map((s) => prefix + s.name) })
    .catch(() => undefined);
  await admin.disconnect();
});

/** A host_scan copy in the scanner's namespace (its Kafka is the root namespace's, through the forwarders). */
function copy(extra: Record<string, string> = {}): ChildProcess {
  const child = hostScanCopy(lab, `${prefix}hosts`, { ...env, ...extra });
  copies.push(child);
  return child;
}

async function assetsOf(requestId: string, expected: number): Promise<Asset[]> {
  const assets: Asset[] = [];
  await readTopic(config, 'assets', { from: 'earliest', signal: AbortSignal.timeout(30_000) }, (r) => {
    if (r.value?.requestId === requestId) assets.push(r.value);
    return new Set(assets.map((a) => a.value)).size >= expected ? 'stop' : undefined;
  }).catch(() => undefined);
  return assets;
}

test('one-shot: a /28 finds every live host’s services, in the scanner’s namespace', { skip }, () => {
  const argv = lab.inside([process.execPath, CLI, 'scan', '198.18.0.0/28', '--profile', 'fast', '--json']);
  const run = spawnSync(argv[0] as string, argv.slice(1), {
    encoding: 'utf8',
    env: { ...process.env, DNS_RESOLVER: '127.0.0.1:9', LOG_LEVEL: 'warn' },
    timeout: 120_000,
  });
  assert.equal(run.status, 0, run.stderr);
  const findings = JSON.parse(run.stdout) as Finding[];
  const open = findings.filter((f) => f.ruleId?.startsWith('open-port') || f.title.startsWith('Open port'));
  const seen = new Set(open.map((f) => `${f.asset.ip}:${f.asset.port}`));
  for (const host of lab.live)
    for (const port of [22, 80, 443]) assert.ok(seen.has(`${host}:${port}`), `${host}:${port}`);
  assert.ok(
    [...seen].every((s) => lab.live.includes(s.split(':')[0] as string)),
    'nothing reported on a silent address',
  );
  const services = new Map(open.map((f) => [`${f.asset.port}`, f.asset.service]));
  assert.equal(services.get('22'), 'ssh');
  assert.equal(services.get('80'), 'http');
});

test('on Kafka: job-status counts of a /28 are exact; silent addresses count down', { skip }, async () => {
  copy();
  const { requestId, counts } = await scanOnKafka(config, '198.18.0.0/28', { timeoutMs: 90_000 });
  assert.deepEqual(counts, {
    addresses: 16,
    done: 16,
    up: 4,
    down: 12,
    failed: 0,
    assets: 4,
    openPorts: 12,
    unresolved: 0,
  });
  const assets = await assetsOf(requestId, 4);
  assert.deepEqual([...new Set(assets.map((a) => a.value))].sort(), [...lab.live].sort());
  for (const asset of assets) {
    assert.deepEqual(
      asset.services.map((s) => s.port).sort((a, b) => a - b),
      [22, 80, 443],
    );
    assert.ok(asset.reachability?.reason === 'syn-ack' || asset.reachability?.reason === 'reset');
  }
  for (const c of copies.splice(0)) c.kill('SIGTERM');
});

test(
  'kill -9 of host_scan mid-range: every live host’s asset is present and the counts are exact',
  { skip },
  async () => {
    // Slow enough to be mid-range when killed: 2 hosts at a time, silent ones waiting at least 300 + 600 ms.
    const slow = { HOST_SCAN_HOSTS: '2', HOST_PING_MIN_TIMEOUT_MS: '300' };
    let victim: ChildProcess | undefined = copy(slow);
    let restarted = false;
    const { requestId, counts, hostDone } = await scanOnKafka(config, '198.18.0.0/26', {
      timeoutMs: 240_000,
      onHostDone: (done) => {
        if (victim && done >= 6) {
          victim.kill('SIGKILL');
          victim = undefined;
          restarted = true;
          copy(slow);
        }
      },
    });
    assert.ok(restarted, 'the copy was killed mid-range');
    assert.deepEqual(counts, {
      addresses: 64,
      done: 64,
      up: 4,
      down: 60,
      failed: 0,
      assets: 4,
      openPorts: 12,
      unresolved: 0,
    });
    const indexes = new Set(hostDone.map((h) => Number(h.index)));
    assert.equal(indexes.size, 64, 'every host was reported done');
    const assets = await assetsOf(requestId, 4);
    assert.deepEqual([...new Set(assets.map((a) => a.value))].sort(), [...lab.live].sort());
  },
);
