// The PLATFORM scan engine on the real stack, against the fake platform API: a scan whose API fails twice
// completes once; a scan that never completes fails at its deadline, while another scan completes meanwhile.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createTopics } from '../../src/admin/topics.ts';
import { pipelineTopics } from '../../src/topology.ts';
import { runStages, type RunningStages } from '../../src/app/run-stages.ts';
import { createKafka } from '../../src/runtime/kafka/client.ts';
import { requireKafka } from '../../src/config/config.ts';
import { runCli } from '../helpers/cli.ts';
import { eventually } from '../helpers/eventually.ts';
import { KAFKA_BROKERS, SCHEMA_REGISTRY_URL, stackConfig, uniquePrefix } from '../helpers/stack.ts';
import { startFakePlatform, type FakePlatform } from '../helpers/fake-platform-api.ts';
import { PLATFORM_REPORT } from '../helpers/fake-platform-report.ts';

const prefix = uniquePrefix('platform');
const cliEnv = { KAFKA_BROKERS, SCHEMA_REGISTRY_URL, TOPIC_PREFIX: prefix };

let api: FakePlatform;
let stages: RunningStages;
let config: ReturnType<typeof stackConfig>;

before(async () => {
  api = await startFakePlatform({ token: 'platform-token' });
  config = stackConfig({
    ...cliEnv,
    TOPIC_PARTITIONS: '3',
    METRICS_PORT: '0',
    API_BASE_URL: api.url,
    API_TOKEN: 'platform-token',
    SCAN_ENGINE: 'platform',
    SCAN_DEADLINE_MS: '5000',
    RECONCILE_INTERVAL_MS: '0',
  });
  await createTopics(config);
  stages = await runStages(config, ['vs_scan_trigger', 'vs_result_fetcher', 'vs_normalization']);
});

after(async () => {
  await stages?.stop();
  await api?.close();
  const admin = createKafka(requireKafka(config), 'platform-cleanup').admin();
  await admin.connect();
  await admin
    .deleteTopics({ topics: pipelineTopics({ rawFindingsRetentionMs: 1 }).map((s) => prefix + s.name) })
    .catch(() => undefined);
  await admin.disconnect();
});

test('a platform scan whose API answers 500 twice, then succeeds, completes once', async () => {
  api.scanBehaviour = { pollsUntilDone: 2, format: 'asmvs-checks-json', report: PLATFORM_REPORT };
  api.fault({ match: /^POST \/api\/v1\/scans$/, status: 500, times: 2 });
  const before = api.scans.size;
  const result = await runCli(
    ['scan', '127.0.0.1', '--submit', '--follow', '--engine', 'platform', '--ports', '6379', '--timeout', '60'],
    cliEnv,
    90_000,
  );
  assert.equal(result.code, 0, result.stdout + result.stderr);
  assert.match(result.stdout, /completed: 1 scans finished/);
  assert.equal(api.scans.size, before + 1, 'created once on the platform');
  const creates = api.requests.filter((r) => r.method === 'POST' && r.path === '/api/v1/scans');
  assert.ok(creates.every((r) => r.authorization === 'Bearer platform-token'));
});

test('a scan that never completes fails at its deadline while another scan completes', async () => {
  api.scanBehaviour = { pollsUntilDone: Infinity, format: 'asmvs-checks-json', report: PLATFORM_REPORT };
  const before = api.scans.size;
  const stuck = runCli(
    ['scan', '127.0.0.2', '--submit', '--follow', '--engine', 'platform', '--ports', '6379', '--timeout', '60'],
    cliEnv,
    90_000,
  ).then((r) => ({ ...r, endedAt: Date.now() }));
  await eventually(
    async () => api.scans.size,
    (n) => n > before,
    { timeoutMs: 30_000 },
  );
  api.scanBehaviour = { pollsUntilDone: 1, format: 'asmvs-checks-json', report: PLATFORM_REPORT };
  const quick = await runCli(
    ['scan', '127.0.0.3', '--submit', '--follow', '--engine', 'platform', '--ports', '6379', '--timeout', '60'],
    cliEnv,
    90_000,
  );
  const quickDoneAt = Date.now();
  const failed = await stuck;
  assert.equal(quick.code, 0, quick.stdout + quick.stderr);
  assert.equal(failed.code, 1, failed.stdout + failed.stderr);
  assert.match(failed.stdout, /failed in vs_result_fetcher: .*SCAN_DEADLINE_EXCEEDED/);
  assert.ok(
    quickDoneAt < failed.endedAt,
    'the quick scan finished while the stuck one was still waiting for its deadline',
  );
});
