// `asmvs replay raw-findings` on the real stack: re-normalizing the retained raw findings yields the same finding
// ids and event ids (nothing new downstream), and a group with live members is not moved.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createTopics } from '../../src/admin/topics.ts';
import { pipelineTopics } from '../../src/topology.ts';
import { replayRawFindings } from '../../src/app/replay.ts';
import { runStages } from '../../src/app/run-stages.ts';
import { publishEvent } from '../../src/runtime/kafka/publish.ts';
import { readTopic } from '../../src/runtime/kafka/read-topic.ts';
import { createKafka } from '../../src/runtime/kafka/client.ts';
import { requireKafka } from '../../src/config/config.ts';
import { AsmvsError } from '../../src/errors.ts';
import type { Finding } from '../../src/schemas/types.gen.ts';
import { fixture, rawOf } from '../normalizers/raw.ts';
import { eventually } from '../helpers/eventually.ts';
import { KAFKA_BROKERS, SCHEMA_REGISTRY_URL, stackConfig, uniquePrefix } from '../helpers/stack.ts';

const prefix = uniquePrefix('replay');
const config = stackConfig({ KAFKA_BROKERS, SCHEMA_REGISTRY_URL, TOPIC_PREFIX: prefix, TOPIC_PARTITIONS: '3' });

before(() => createTopics(config));
after(async () => {
  const admin = createKafka(requireKafka(config), 'replay-cleanup').admin();
  await admin.connect();
  await admin
    .deleteTopics({ topics: pipelineTopics({ rawFindingsRetentionMs: 1 }).map((s) => prefix + s.name) })
    .catch(() => undefined);
  await admin.disconnect();
});

async function normalized(): Promise<Finding[]> {
  const out: Finding[] = [];
  const signal = AbortSignal.timeout(3_000);
  await readTopic(
    config,
    'normalized-findings',
    { from: 'earliest', signal },
    (r) => void (r.value && out.push(r.value)),
  );
  return out;
}

test('a replay reproduces the same findings, and refuses a group with live members', async () => {
  const report = fixture('asmvs-checks.json');
  for (const [i, asset] of ['asset-a', 'asset-b', 'asset-c'].entries()) {
    const raw = rawOf(report, {
      eventId: `raw-${i}`,
      scanId: `scan-${i}`,
      assetId: asset,
      target: `127.0.0.${i + 1}`,
      scanner: { name: 'asmvs-checks', version: '0.1.0' },
      format: 'asmvs-checks-json',
    });
    await publishEvent(config, 'raw-findings', asset, raw);
  }
  const live = await runStages(config, ['vs_normalization']);
  const first = await eventually(normalized, (fs) => fs.length > 0 && fs.length % 3 === 0, {
    timeoutMs: 30_000,
    intervalMs: 500,
  });

  await assert.rejects(
    replayRawFindings(config, { from: 'earliest', signal: AbortSignal.timeout(10_000), onProgress: () => undefined }),
    (e: unknown) => e instanceof AsmvsError && e.code === 'USAGE' && /live member/.test(e.message),
  );
  await live.stop();

  const progress: number[] = [];
  const last = await replayRawFindings(config, {
    from: 'earliest',
    signal: AbortSignal.timeout(60_000),
    onProgress: (p) => progress.push(p.done),
  });
  assert.ok(last.finished);
  assert.equal(last.total, 3);

  const all = await eventually(normalized, (fs) => fs.length >= 2 * first.length, {
    timeoutMs: 30_000,
    intervalMs: 500,
  });
  const ids = (fs: Finding[]) => new Set(fs.map((f) => `${f.fingerprint} ${f.eventId}`));
  assert.equal(all.length, 2 * first.length, 'the replay normalized each raw finding once more');
  assert.deepEqual(ids(all), ids(first), 'same fingerprints and event ids: nothing new downstream');

  // --to: a side-by-side run into another topic, with its own group; the live topic gets nothing new.
  const side = `${prefix}findings-v2`;
  const sideRun = await replayRawFindings(config, {
    from: 'earliest',
    to: side,
    signal: AbortSignal.timeout(60_000),
    onProgress: () => undefined,
  });
  assert.ok(sideRun.finished);
  const admin = createKafka(requireKafka(config), 'replay-side').admin();
  await admin.connect();
  const records = async (t: string) => (await admin.fetchTopicOffsets(t)).reduce((n, p) => n + Number(p.high), 0);
  assert.equal(
    await eventually(
      () => records(side),
      (n) => n >= first.length,
      { timeoutMs: 30_000 },
    ),
    first.length,
  );
  assert.equal(await records(`${prefix}normalized-findings`), all.length, 'the live topic is untouched');
  await admin.deleteTopics({ topics: [side, `${side}.scan-results`] }).catch(() => undefined);
  await admin.disconnect();
});
