// vs_normalization → findings_sink → findings_resolver on the real stack (Kafka, registry, PostgreSQL), each stage
// through runStage: findings land in PostgreSQL; a rescan with one issue fixed resolves exactly that finding;
// replaying raw-findings with fresh groups reproduces the same ids and changes no row; with EXACTLY_ONCE a
// read-committed reader of normalized-findings sees each finding event once.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { createTopics } from '../../src/admin/topics.ts';
import { pipelineTopics } from '../../src/topology.ts';
import { runStages } from '../../src/app/run-stages.ts';
import type { Config } from '../../src/config/config.ts';
import { requireKafka } from '../../src/config/config.ts';
import { createKafka } from '../../src/runtime/kafka/client.ts';
import { openSink } from '../../src/sink/index.ts';
import { publishEvent } from '../../src/runtime/kafka/publish.ts';
import { readTopic } from '../../src/runtime/kafka/read-topic.ts';
import { subjectOf } from '../../src/schemas/codec.ts';
import { SCHEMA_TOPICS, type SchemaTopic } from '../../src/schemas/registry-files.ts';
import type { RawFinding, TopicValues } from '../../src/schemas/types.gen.ts';
import { eventually } from '../helpers/eventually.ts';
import { SCHEMA_REGISTRY_URL, stackConfig, uniquePrefix } from '../helpers/stack.ts';
import { fixture, NOW, rawOf } from '../normalizers/raw.ts';
import { withDatabase } from '../helpers/test-database.ts';

const HOUR = 3_600_000;
const STAGES = ['vs_normalization', 'findings_sink', 'findings_resolver'];
const full = fixture('nmap-vulners-weak-tls.xml').toString();
const fixedOne = full.replace(/<table>\s*<elem key="id">CVE-2021-41617<\/elem>[\s\S]*?<\/table>\s*/, '');

function nmapScan(n: number, xml: string): RawFinding {
  return rawOf(xml, {
    eventId: `raw-nmap-${n}`,
    scanId: `scan-nmap-${n}`,
    assetId: 'asset-1',
    scanner: { name: 'nmap', version: '7.93' },
    format: 'nmap-xml',
    startedAt: NOW + n * HOUR - 60_000,
    finishedAt: NOW + n * HOUR,
  });
}

const checksScan = rawOf(fixture('asmvs-checks.json'), {
  eventId: 'raw-checks-1',
  scanId: 'scan-checks-1',
  assetId: 'asset-2',
  scanner: { name: 'asmvs-checks', version: '0.1.0' },
  format: 'asmvs-checks-json',
  finishedAt: NOW + HOUR,
});

async function withStack<T>(
  label: string,
  env: Record<string, string>,
  work: (config: Config) => Promise<T>,
): Promise<T> {
  const prefix = uniquePrefix(label);
  const config = stackConfig({ TOPIC_PREFIX: prefix, TOPIC_PARTITIONS: '3', ...env });
  await createTopics(config);
  try {
    return await work(config);
  } finally {
    const admin = createKafka(requireKafka(config), 'findings-cleanup').admin();
    await admin.connect();
    const groups = (await admin.listGroups()).groups.map((g) => g.groupId).filter((g) => g.startsWith(prefix));
    await admin.deleteGroups(groups).catch(() => undefined);
    await admin
      .deleteTopics({ topics: pipelineTopics({ rawFindingsRetentionMs: 1 }).map((s) => prefix + s.name) })
      .catch(() => undefined);
    await admin.disconnect();
    for (const topic of SCHEMA_TOPICS) {
      const url = `${SCHEMA_REGISTRY_URL}/subjects/${encodeURIComponent(subjectOf(topic, prefix))}`;
      await fetch(url, { method: 'DELETE' }).catch(() => undefined);
      await fetch(`${url}?permanent=true`, { method: 'DELETE' }).catch(() => undefined);
    }
  }
}

async function records<T extends SchemaTopic>(config: Config, topic: T): Promise<TopicValues[T][]> {
  const out: TopicValues[T][] = [];
  await readTopic(
    config,
    topic,
    { from: 'earliest', signal: AbortSignal.timeout(3_000) },
    (r) => void (r.value && out.push(r.value)),
  );
  return out;
}

async function query<R extends pg.QueryResultRow>(url: string, sql: string): Promise<R[]> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query<R>(sql)).rows;
  } finally {
    await c.end();
  }
}

const rows = (url: string) =>
  query<Record<string, unknown>>(
    url,
    `SELECT fingerprint, asset_key, scanner, status, first_seen, last_seen, resolved_at, reopened_count, occurrences,
            last_scan_id, normalizer_version, finding FROM findings ORDER BY fingerprint`,
  );
const scansDone = async (url: string) => (await query(url, 'SELECT scan_id FROM completed_scans')).length;

/** The group has committed everything on its input topic. */
async function caughtUp(config: Config, groupId: string, topic: string): Promise<boolean> {
  const admin = createKafka(requireKafka(config), 'findings-lag').admin();
  await admin.connect();
  try {
    const physical = config.topics.prefix + topic;
    const end = await admin.fetchTopicOffsets(physical);
    const committed = (await admin.fetchOffsets({ groupId, topics: [physical] }))[0]?.partitions ?? [];
    // an empty partition has nothing to commit: its unset offset (-1) counts as 0
    const at = (partition: number) =>
      Math.max(0, Number(committed.find((c) => c.partition === partition)?.offset ?? 0));
    return end.every((p) => at(p.partition) >= Number(p.high));
  } finally {
    await admin.disconnect();
  }
}

test(
  'findings reach PostgreSQL, a fixed issue is resolved exactly, and a replay with fresh groups changes nothing',
  { timeout: 150_000 },
  async () => {
    await withDatabase((url) =>
      withStack(
        'findings',
        { DATABASE_URL: url, RETRY_MAX_ATTEMPTS: '60', RETRY_BASE_MS: '100', RETRY_MAX_MS: '1000' },
        async (config) => {
          // the stages migrate before their first write; the test reads the tables before that
          const sink = openSink(url);
          await sink.migrate();
          await sink.close();
          const live = await runStages(config, STAGES);
          try {
            await publishEvent(config, 'raw-findings', 'asset-1', nmapScan(1, full));
            await publishEvent(config, 'raw-findings', 'asset-2', checksScan);
            await eventually(
              () => scansDone(url),
              (n) => n === 2,
              { timeoutMs: 60_000, intervalMs: 250 },
            );
            let stored = await rows(url);
            assert.equal(stored.length, 12);
            assert.ok(stored.every((r) => r['status'] === 'NEW'));
            const fixedFp = (
              await query<{ fingerprint: string }>(
                url,
                "SELECT fingerprint FROM findings WHERE rule_id = 'CVE-2021-41617'",
              )
            )[0]?.fingerprint;
            assert.ok(fixedFp);

            await publishEvent(config, 'raw-findings', 'asset-1', nmapScan(2, fixedOne));
            await eventually(
              () => scansDone(url),
              (n) => n === 3,
              { timeoutMs: 60_000, intervalMs: 250 },
            );
            stored = await rows(url);
            assert.deepEqual(
              stored.filter((r) => r['status'] === 'RESOLVED').map((r) => r['fingerprint']),
              [fixedFp],
            );
            assert.equal(stored.filter((r) => r['status'] === 'OPEN').length, 7);
            assert.equal(stored.filter((r) => r['status'] === 'NEW').length, 4, 'asset-2 was not rescanned');
            const changes = await records(config, 'asset-changes');
            assert.deepEqual(
              changes.filter((c) => c.kind === 'FINDING_RESOLVED').map((c) => c.subject),
              [fixedFp],
            );
            assert.equal(changes.filter((c) => c.kind === 'FINDING_OPENED').length, 12);
          } finally {
            await live.stop();
          }

          const before = await rows(url);
          const firstPass = await records(config, 'normalized-findings');
          assert.equal(firstPass.length, 8 + 4 + 7);

          const groupId = `${config.topics.prefix}replay`;
          const replay = await runStages(config, STAGES, { groupId });
          try {
            await eventually(
              async () => (await records(config, 'normalized-findings')).length,
              (n) => n === 2 * firstPass.length,
              { timeoutMs: 60_000, intervalMs: 500 },
            );
            await eventually(
              async () =>
                (await caughtUp(config, `${groupId}.findings_sink`, 'normalized-findings')) &&
                (await caughtUp(config, `${groupId}.findings_resolver`, 'scan-results')),
              Boolean,
              { timeoutMs: 60_000, intervalMs: 500 },
            );
          } finally {
            await replay.stop();
          }
          const all = await records(config, 'normalized-findings');
          const ids = (fs: readonly { fingerprint: string; eventId: string }[]) =>
            new Set(fs.map((f) => `${f.fingerprint} ${f.eventId}`));
          assert.deepEqual(ids(all), ids(firstPass), 'the replay reproduced every finding id and event id');
          assert.deepEqual(
            await rows(url),
            before,
            'the replay changed no row (same normalizer: not even normalizer_version)',
          );
          assert.equal(await scansDone(url), 3);
        },
      ),
    );
  },
);

test(
  'EXACTLY_ONCE: a read-committed reader of normalized-findings sees each finding event once',
  { timeout: 90_000 },
  async () => {
    await withStack('findings-eos', { EXACTLY_ONCE: 'true' }, async (config) => {
      const running = await runStages(config, ['vs_normalization'], { instanceId: 'eos-test' });
      try {
        for (let n = 1; n <= 3; n++)
          await publishEvent(config, 'raw-findings', 'asset-1', nmapScan(n, n === 2 ? fixedOne : full));
        await publishEvent(config, 'raw-findings', 'asset-2', checksScan);
        const expected = 8 + 7 + 8 + 4;
        const seen = await eventually(
          () => records(config, 'normalized-findings'),
          (fs) => fs.length >= expected,
          { timeoutMs: 60_000, intervalMs: 500 },
        );
        // a late duplicate would arrive after the count is reached: read once more after a pause
        await new Promise((r) => setTimeout(r, 1_000));
        const again = await records(config, 'normalized-findings');
        assert.equal(again.length, expected);
        assert.equal(new Set(again.map((f) => f.eventId)).size, expected);
        assert.equal(seen.length, expected);
        const summaries = await records(config, 'scan-results');
        assert.deepEqual(summaries.map((s) => s.findingCount).sort(), [4, 7, 8, 8]);
      } finally {
        await running.stop();
      }
    });
  },
);
