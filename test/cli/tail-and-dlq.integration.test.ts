// `asmvs tail` and `asmvs dlq` on the real stack. tail: JSON lines with time, partition, offset, key, headers and the
// decoded value; -e stops at the end; --partition, --offset N and -N (kcat's -o); a .dlq topic decoded with its source
// topic's schema. dlq: counts per error code, records with the failure decoded, and a re-drive that puts the original
// key and bytes back on the source topic with headers saying where from (the failure headers left behind).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createTopics } from '../../src/admin/topics.ts';
import { requestAccepted } from '../../src/processors/job-events.ts';
import { discoveryRequest } from '../../src/app/requests.ts';
import { deadLetterHeaders } from '../../src/runtime/dead-letter.ts';
import { publishRaw } from '../../src/runtime/kafka/publish.ts';
import { readRecordsToEnd, type RawRecord } from '../../src/runtime/kafka/read-records.ts';
import { openKafkaSession, type KafkaSession } from '../../src/runtime/kafka/session.ts';
import { pipelineTopics } from '../../src/topology.ts';
import { runCli } from '../helpers/cli.ts';
import { KAFKA_BROKERS, SCHEMA_REGISTRY_URL, stackConfig, uniquePrefix } from '../helpers/stack.ts';

const prefix = uniquePrefix('taildlq');
const env = { KAFKA_BROKERS, SCHEMA_REGISTRY_URL, TOPIC_PREFIX: prefix, TOPIC_PARTITIONS: '3', LOG_LEVEL: 'silent' };
const config = stackConfig(env);
let session: KafkaSession;

const requests = ['r-1', 'r-2', 'r-3', 'r-4'].map((id) => discoveryRequest([`10.0.0.${id.at(-1)}`], {
  scope: null, profile: 'fast', ports: null, requestId: id,
})); // prettier-ignore

function jsonLines(stdout: string): Record<string, unknown>[] {
  return stdout
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

before(async () => {
  await createTopics(config);
  session = openKafkaSession(config, 'tail-dlq-test');
  await session.codec.register(['discovery-requests', 'job-status']);
  await publishRaw(
    session,
    `${prefix}job-status`,
    requests.map((r) => ({
      key: Buffer.from(r.requestId),
      value: session.codec.encode('job-status', requestAccepted(r.requestId, 'queued', 1_800_000_000_000)),
      headers: { traceparent: `00-${'1'.repeat(32)}-${'2'.repeat(16)}-01` },
    })),
  );
  // Dead letters as the runner writes them: the original key, bytes and headers, plus the failure.
  const failure = (code: 'TARGET_OUT_OF_SCOPE' | 'HANDLER_FAILED', offset: number) =>
    deadLetterHeaders(
      { traceparent: `00-${'3'.repeat(32)}-${'4'.repeat(16)}-01` },
      {
        stage: 'asm_discovery',
        error: { code, message: `failed: ${code}` },
        attempts: code === 'HANDLER_FAILED' ? 5 : 1,
        sourceTopic: `${prefix}discovery-requests`,
        sourcePartition: 0,
        sourceOffset: String(offset),
        at: new Date(1_800_000_000_000),
      },
    );
  await publishRaw(session, `${prefix}discovery-requests.dlq`, [
    ...requests.slice(0, 3).map((r, i) => ({
      key: Buffer.from(r.requestId),
      value: session.codec.encode('discovery-requests', r),
      headers: failure(i === 0 ? 'TARGET_OUT_OF_SCOPE' : 'HANDLER_FAILED', i),
    })),
    { key: Buffer.from('poison'), value: Buffer.from('not avro'), headers: failure('HANDLER_FAILED', 9) },
  ]);
});

after(async () => {
  await session.close();
  const admin = await openKafkaSession(config, 'tail-dlq-cleanup').admin();
  const names = pipelineTopics({ rawFindingsRetentionMs: 1 }).map((s) => prefix + s.name);
  await admin.deleteTopics({ topics: names }).catch(() => undefined);
  await admin.disconnect();
});

test('tail -e from the beginning: every record with time, key, headers and decoded value, then it stops', async () => {
  const r = await runCli(['tail', 'job-status', '--offset', 'beginning', '-e'], env);
  assert.equal(r.code, 0, r.stderr);
  const lines = jsonLines(r.stdout);
  assert.deepEqual(lines.map((l) => l['key']).sort(), ['r-1', 'r-2', 'r-3', 'r-4']);
  for (const l of lines) {
    assert.match(l['timestamp'] as string, /^\d{4}-\d{2}-\d{2}T/);
    assert.deepEqual(l['headers'], { traceparent: `00-${'1'.repeat(32)}-${'2'.repeat(16)}-01` });
    assert.equal((l['value'] as { state: string }).state, 'ACCEPTED');
    assert.equal(l['topic'], 'job-status');
  }
});

test('tail --partition and --offset -1: the last record of one partition; --offset N from that offset', async () => {
  const all = jsonLines((await runCli(['tail', 'job-status', '-o', 'beginning', '-e'], env)).stdout);
  const partition = all[0]!['partition'] as number;
  const inPartition = all.filter((l) => l['partition'] === partition);
  const last = await runCli(['tail', 'job-status', '-p', String(partition), '-o', '-1', '-e'], env);
  assert.equal(last.code, 0, last.stderr);
  assert.deepEqual(
    jsonLines(last.stdout).map((l) => l['offset']),
    [inPartition.at(-1)!['offset']],
  );
  const from = await runCli(['tail', 'job-status', '-p', String(partition), '-o', '1', '-e'], env);
  assert.deepEqual(
    jsonLines(from.stdout).map((l) => l['offset']),
    inPartition.filter((l) => Number(l['offset']) >= 1).map((l) => l['offset']),
  );
});

test('tail of a .dlq topic decodes values with the source schema and shows the failure headers', async () => {
  const r = await runCli(['tail', 'discovery-requests.dlq', '-o', 'beginning', '-e'], env);
  assert.equal(r.code, 0, r.stderr);
  const lines = jsonLines(r.stdout);
  assert.equal(lines.length, 4);
  const decoded = lines.filter((l) => l['value'] !== undefined);
  assert.deepEqual(decoded.map((l) => (l['value'] as { requestId: string }).requestId).sort(), ['r-1', 'r-2', 'r-3']);
  assert.equal((decoded[0]!['headers'] as Record<string, string>)['asmvs-stage'], 'asm_discovery');
  const poison = lines.find((l) => l['key'] === 'poison')!;
  assert.equal((poison['error'] as { code: string }).code, 'DECODE_NO_MAGIC_BYTE');
});

test('dlq list counts records per error code; show decodes the failure and the value', async () => {
  const list = await runCli(['dlq', 'list', 'discovery-requests', '--json'], env);
  assert.equal(list.code, 0, list.stderr);
  assert.deepEqual(jsonLines(list.stdout), [
    {
      topic: 'discovery-requests.dlq',
      records: 4,
      byCode: { TARGET_OUT_OF_SCOPE: 1, HANDLER_FAILED: 3 },
      redriven: 0,
      exists: true,
    },
  ]);
  const all = await runCli(['dlq', 'list'], env);
  assert.match(all.stdout, /^discovery-requests\.dlq\s+4\s+0\s+HANDLER_FAILED 3, TARGET_OUT_OF_SCOPE 1$/m);
  assert.match(all.stdout, /^raw-findings\.dlq\s+0\s+0\s*$/m);
  const show = await runCli(['dlq', 'show', 'discovery-requests.dlq', '--code', 'target_out_of_scope'], env);
  assert.equal(show.code, 0, show.stderr);
  assert.match(
    show.stdout,
    /failed in asm_discovery with TARGET_OUT_OF_SCOPE after 1 attempts at 2027-01-15T08:00:00.000Z/,
  );
  assert.match(show.stdout, new RegExp(`source ${prefix.replaceAll('.', '\\.')}discovery-requests 0:0`));
  assert.match(show.stdout, /"requestId":"r-1"/);
  assert.doesNotMatch(show.stdout, /r-2|r-3/);
});

test('dlq redrive sends the selected records back as they were, with a re-drive header', async () => {
  const dry = await runCli(['dlq', 'redrive', 'discovery-requests', '--code', 'HANDLER_FAILED', '--dry-run'], env);
  assert.equal(dry.code, 0, dry.stderr);
  assert.match(dry.stdout, /would re-drive 3 records/);
  const source: RawRecord[] = [];
  const collect = () =>
    readRecordsToEnd(session, `${prefix}discovery-requests`, { signal: AbortSignal.timeout(30_000) }, (r) => {
      source.push(r);
    });
  await collect();
  assert.equal(source.length, 0, 'a dry run sends nothing');

  const r = await runCli(['dlq', 'redrive', 'discovery-requests', '--code', 'HANDLER_FAILED'], env);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /re-drove 3 records to .*discovery-requests$/m);
  await collect();
  assert.deepEqual(source.map((s) => s.key?.toString()).sort(), ['poison', 'r-2', 'r-3']);
  const r2 = source.find((s) => s.key?.toString() === 'r-2')!;
  assert.deepEqual(r2.value, session.codec.encode('discovery-requests', requests[1]!), 'the original bytes');
  const headers = Object.fromEntries(Object.entries(r2.headers).map(([k, v]) => [k, v?.toString()]));
  assert.match(
    headers['asmvs-redriven-from'] ?? '',
    new RegExp(`^${prefix.replaceAll('.', '\\.')}discovery-requests\\.dlq/\\d+/\\d+$`),
  );
  assert.equal(headers['asmvs-redriven-code'], 'HANDLER_FAILED');
  assert.equal(headers['traceparent'], `00-${'3'.repeat(32)}-${'4'.repeat(16)}-01`, 'the original headers');
  assert.equal(headers['asmvs-error-code'], undefined, 'the failure stays in the dead-letter topic');
});

test('a second re-drive skips what the first sent (the ledger of re-drives); --again sends it again', async () => {
  // after the test above: its three HANDLER_FAILED records are in the ledger
  const count = async (physical: string) => {
    let n = 0;
    await readRecordsToEnd(session, physical, { signal: AbortSignal.timeout(30_000) }, () => void (n += 1));
    return n;
  };
  const sent = await count(`${prefix}discovery-requests`);
  const ledger: RawRecord[] = [];
  await readRecordsToEnd(session, `${prefix}dlq-redrives`, { signal: AbortSignal.timeout(30_000) }, (r) => {
    ledger.push(r);
  });
  assert.equal(ledger.length, 3, 'one ledger record per dead letter sent');
  for (const r of ledger) {
    assert.match(r.key?.toString() ?? '', /^discovery-requests\.dlq\/\d+\/\d+@\d+$/);
    assert.equal(r.headers['asmvs-redriven-to']?.toString(), `${prefix}discovery-requests`);
    assert.equal(r.headers['asmvs-redriven-code']?.toString(), 'HANDLER_FAILED');
  }

  const again = await runCli(['dlq', 'redrive', 'discovery-requests', '--code', 'HANDLER_FAILED'], env);
  assert.equal(again.code, 0, again.stderr);
  assert.match(again.stdout, /re-drove 0 records to .*discovery-requests; skipped 3 re-driven before$/m);
  assert.equal((again.stdout.match(/^skipped \d+:\d+: re-driven before/gm) ?? []).length, 3);
  assert.equal(await count(`${prefix}discovery-requests`), sent, 'nothing sent twice');

  // a record never re-driven is sent, the others still skipped
  const all = await runCli(['dlq', 'redrive', 'discovery-requests', '--all', '--dry-run'], env);
  assert.equal(all.code, 0, all.stderr);
  assert.match(all.stdout, /would re-drive 1 records to .*; skipped 3 re-driven before$/m);

  const forced = await runCli(['dlq', 'redrive', 'discovery-requests', '--code', 'HANDLER_FAILED', '--again'], env);
  assert.equal(forced.code, 0, forced.stderr);
  assert.match(forced.stdout, /re-drove 3 records to .*discovery-requests$/m);
  assert.equal(await count(`${prefix}discovery-requests`), sent + 3);
  const list = await runCli(['dlq', 'list', 'discovery-requests'], env);
  assert.match(list.stdout, /^discovery-requests\.dlq\s+4\s+3\s+HANDLER_FAILED 3, TARGET_OUT_OF_SCOPE 1$/m);
});
