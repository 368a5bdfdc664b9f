// Chaos: `asmvs replay raw-findings --from earliest` into a live findings_sink. The replay rewinds the normalization
// group and normalizes every retained report again; deterministic ids make the sink's upserts land on the same rows:
// every finding event is reproduced with the same ids, and not one row of PostgreSQL changes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { createTopics } from '../../src/admin/topics.ts';
import { replayRawFindings } from '../../src/app/replay.ts';
import { runStages } from '../../src/app/run-stages.ts';
import type { Config } from '../../src/config/config.ts';
import { publishEvents } from '../../src/runtime/kafka/publish.ts';
import { readToEnd } from '../../src/runtime/kafka/read-topic.ts';
import type { Finding } from '../../src/schemas/types.gen.ts';
import { removePrefixed } from '../helpers/cleanup.ts';
import { eventually } from '../helpers/eventually.ts';
import { caughtUp } from '../helpers/group-progress.ts';
import { stackConfig, uniquePrefix } from '../helpers/stack.ts';
import { fixture, NOW, rawOf } from '../normalizers/raw.ts';
import { withDatabase } from '../helpers/test-database.ts';

const REPORTS = 20;

async function rows(url: string): Promise<Record<string, unknown>[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query('SELECT * FROM findings ORDER BY fingerprint')).rows;
  } finally {
    await client.end();
  }
}

async function findings(config: Config): Promise<Finding[]> {
  const out: Finding[] = [];
  await readToEnd(
    config,
    'normalized-findings',
    AbortSignal.timeout(60_000),
    (r) => void (r.value && out.push(r.value)),
  );
  return out;
}

test(
  'a replay of raw-findings into the live sink reproduces every finding id and changes no row',
  { timeout: 240_000 },
  async () => {
    await withDatabase(async (url) => {
      const prefix = uniquePrefix('chaos-replay');
      const config = stackConfig({ TOPIC_PREFIX: prefix, TOPIC_PARTITIONS: '3', DATABASE_URL: url });
      const sinkGroup = `${prefix}asmvs.findings_sink`;
      await createTopics(config);
      try {
        const report = fixture('nmap-loopback.xml').toString();
        await publishEvents(
          config,
          'raw-findings',
          Array.from({ length: REPORTS }, (_, n) => ({
            key: `asset-${n}`,
            // a host each: every report has its own findings (rows)
            value: rawOf(report.replaceAll('127.0.0.1', `127.0.0.${n + 1}`), {
              eventId: `raw-${n}`,
              scanId: `scan-${n}`,
              assetId: `asset-${n}`,
              address: `127.0.0.${n + 1}`,
              scanner: { name: 'nmap', version: '7.93' },
              format: 'nmap-xml',
              finishedAt: NOW + n,
            }),
          })),
        );
        const live = await runStages(config, ['vs_normalization', 'findings_sink']);
        try {
          await eventually(
            async () =>
              (await caughtUp(config, `${prefix}asmvs.vs_normalization`, 'raw-findings')) &&
              (await caughtUp(config, sinkGroup, 'normalized-findings')),
            Boolean,
            { timeoutMs: 120_000, intervalMs: 500 },
          );
        } finally {
          await live.stop();
        }
        const before = await rows(url);
        const firstPass = await findings(config);
        assert.equal(before.length, firstPass.length, 'a row per finding');

        const sink = await runStages(config, ['findings_sink']);
        try {
          const progress = await replayRawFindings(config, {
            from: 'earliest',
            signal: AbortSignal.timeout(120_000),
            onProgress: () => undefined,
          });
          assert.ok(progress.finished, 'the replay went through every retained report');
          await eventually(() => caughtUp(config, sinkGroup, 'normalized-findings'), Boolean, {
            timeoutMs: 120_000,
            intervalMs: 500,
          });
        } finally {
          await sink.stop();
        }
        const all = await findings(config);
        const ids = (fs: readonly Finding[]) => new Set(fs.map((f) => `${f.fingerprint} ${f.eventId}`));
        assert.equal(all.length, 2 * firstPass.length, 'every finding event again');
        assert.deepEqual(ids(all), ids(firstPass), 'with the same ids');
        assert.deepEqual(await rows(url), before, 'and not one row changed');
        console.log(
          `[replay] ${REPORTS} reports, ${firstPass.length} finding events twice, ${before.length} rows unchanged`,
        );
      } finally {
        await removePrefixed(config);
      }
    });
  },
);
