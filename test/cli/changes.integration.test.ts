// `asmvs changes` on the real stack: prints the asset-changes produced here as lines or JSON lines, honours --since,
// --kind and --asset, starts a --since read at the offsets of that time (records produced long before are not read),
// and with --follow prints new changes until Ctrl-C (SIGINT), then ends by that signal (130 to a shell).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { createTopics } from '../../src/admin/topics.ts';
import { pipelineTopics } from '../../src/topology.ts';
import { requireKafka, requireRegistry, type Config } from '../../src/config/config.ts';
import { createKafka } from '../../src/runtime/kafka/client.ts';
import { publishEvent, publishEvents } from '../../src/runtime/kafka/publish.ts';
import { createRegistryCodec } from '../../src/schemas/codec.ts';
import type { AssetChange, ChangeKind } from '../../src/schemas/types.gen.ts';
import { runCli } from '../helpers/cli.ts';
import { eventually } from '../helpers/eventually.ts';
import { KAFKA_BROKERS, SCHEMA_REGISTRY_URL, stackConfig, uniquePrefix } from '../helpers/stack.ts';

const prefix = uniquePrefix('changes');
const prefixes = [prefix];
const env = { KAFKA_BROKERS, SCHEMA_REGISTRY_URL, TOPIC_PREFIX: prefix, TOPIC_PARTITIONS: '3', LOG_LEVEL: 'silent' };
const config = stackConfig(env);
const HOUR = 3_600_000;
const now = Date.now();

function change(assetId: string, kind: ChangeKind, subject: string, observedAt: number, before: string | null = null) {
  const changeId = randomUUID();
  return {
    key: assetId,
    value: {
      eventId: randomUUID(),
      requestId: `req-${assetId}`,
      producedAt: observedAt,
      producer: { stage: 'asm_exposure', version: 'test' },
      changeId,
      assetId,
      kind,
      subject,
      before,
      after: kind === 'PORT_OPENED' ? 'open' : null,
      observedAt,
    } satisfies AssetChange,
  };
}

const OLD = change('asset-old', 'ASSET_APPEARED', 'old.example.org', now - 3 * HOUR);
const PORT = change('asset-a', 'PORT_OPENED', '127.0.0.1:6379/tcp', now - 10 * 60_000, 'closed');
const HOSTILE = change('asset-b', 'SERVICE_CHANGED', 'banner\u001b[31mred\nforged', now - 5 * 60_000);

before(async () => {
  await createTopics(config);
  await publishEvents(config, 'asset-changes', [OLD, PORT, HOSTILE]);
});

after(async () => {
  const admin = createKafka(requireKafka(config), 'changes-cleanup').admin();
  await admin.connect();
  const names = pipelineTopics({ rawFindingsRetentionMs: 1 }).map((s) => s.name);
  await admin.deleteTopics({ topics: prefixes.flatMap((p) => names.map((n) => p + n)) }).catch(() => undefined);
  await admin.disconnect();
});

const sorted = (text: string) => text.trimEnd().split('\n').sort();

test('changes prints every change the topic holds, one escaped line each, and exits 0', async () => {
  const result = await runCli(['changes'], env);
  assert.equal(result.code, 0, result.stderr);
  const lines = sorted(result.stdout);
  assert.equal(lines.length, 3, result.stdout);
  assert.ok(
    lines.includes(
      `${new Date(PORT.value.observedAt).toISOString()}  PORT_OPENED          127.0.0.1:6379/tcp  closed → open  asset asset-a  request req-asset-a`,
    ),
    result.stdout,
  );
  assert.ok(lines.some((l) => l.includes('banner\\x1b[31mred\\x0aforged  asset asset-b')));
  // eslint-disable-next-line no-control-regex -- asserting there are none
  assert.doesNotMatch(result.stdout, /[\u0000-\u0009\u000b-\u001f]/);
});

test('--since takes a duration ago or an ISO time; --kind and --asset narrow', async () => {
  const recent = await runCli(['changes', '--since', '1h'], env);
  assert.equal(recent.code, 0, recent.stderr);
  assert.deepEqual(
    sorted(recent.stdout).map((l) => /asset (\S+)/.exec(l)?.[1]),
    ['asset-a', 'asset-b'],
  );
  const iso = await runCli(['changes', '--since', new Date(HOSTILE.value.observedAt).toISOString()], env);
  assert.match(iso.stdout, /^\S+ {2}SERVICE_CHANGED .*asset asset-b/);
  assert.equal(iso.stdout.trimEnd().split('\n').length, 1);
  const kind = await runCli(['changes', '--kind', 'asset_appeared'], env);
  assert.match(
    kind.stdout,
    /^\S+ {2}ASSET_APPEARED {7}old\.example\.org {2}asset asset-old {2}request req-asset-old\n$/,
  );
  const asset = await runCli(['changes', '--asset', 'asset-a', '--since', '2h'], env);
  assert.match(asset.stdout, /^\S+ {2}PORT_OPENED .*asset asset-a .*\n$/);
});

test('--json prints one JSON object per line', async () => {
  const result = await runCli(['changes', '--json', '--since', '1h'], env);
  assert.equal(result.code, 0, result.stderr);
  const objects = result.stdout
    .trimEnd()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, unknown>)
    .sort((a, b) => String(a['assetId']).localeCompare(String(b['assetId'])));
  assert.deepEqual(
    objects.map((o) => [o['kind'], o['subject'], o['before'], o['after'], o['assetId'], o['requestId']]),
    [
      ['PORT_OPENED', '127.0.0.1:6379/tcp', 'closed', 'open', 'asset-a', 'req-asset-a'],
      ['SERVICE_CHANGED', 'banner\u001b[31mred\nforged', null, null, 'asset-b', 'req-asset-b'],
    ],
  );
  assert.equal(objects[0]?.['observedAt'], new Date(PORT.value.observedAt).toISOString());
});

/** Produces changes with the Kafka timestamps and to the partitions given, in this order. */
async function produceAt(
  to: Config,
  records: readonly { change: ReturnType<typeof change>; partition: number; timestamp: number }[],
): Promise<void> {
  const codec = createRegistryCodec({ ...requireRegistry(to), topicPrefix: to.topics.prefix });
  await codec.register(['asset-changes']);
  const producer = createKafka(requireKafka(to), 'changes-test').producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  try {
    for (const r of records)
      await producer.send({
        topic: to.topics.prefix + 'asset-changes',
        acks: -1,
        messages: [
          {
            key: r.change.key,
            value: codec.encode('asset-changes', r.change.value),
            partition: r.partition,
            timestamp: String(r.timestamp),
          },
        ],
      });
  } finally {
    await producer.disconnect();
  }
}

test('--since starts reading at the records produced since (less a margin), not at the beginning of the topic', async () => {
  const seekPrefix = uniquePrefix('changes-seek');
  prefixes.push(seekPrefix);
  const seekEnv = { ...env, TOPIC_PREFIX: seekPrefix };
  const seekConfig = stackConfig(seekEnv);
  await createTopics(seekConfig);
  const t = Date.now();
  // Decoys: observed 20 minutes ago by their own account, but produced 3 hours ago. Only a read of the whole topic
  // sees them, and --since 1h would print them: that they are absent shows where the read began. Partitions 1 and 2
  // hold nothing else, so no record there is at or after the time and they start (and are done) at their end.
  const decoys = [0, 1, 2].map((partition) => ({
    change: change(`asset-decoy-${partition}`, 'PORT_OPENED', `10.0.0.${partition}:22/tcp`, t - 20 * 60_000, 'closed'),
    partition,
    timestamp: t - 3 * HOUR,
  }));
  // After them in partition 0: one produced 2 minutes before --since (within the margin) and observed since; one
  // produced now and observed since; one produced now but observed before --since, left out by the filter.
  const margin = change('asset-margin', 'ASSET_APPEARED', 'margin.example.org', t - 30 * 60_000);
  const fresh = change('asset-fresh', 'ASSET_APPEARED', 'fresh.example.org', t - 10 * 60_000);
  const stale = change('asset-stale', 'ASSET_APPEARED', 'stale.example.org', t - 2 * HOUR);
  await produceAt(seekConfig, [
    ...decoys,
    { change: margin, partition: 0, timestamp: t - HOUR - 2 * 60_000 },
    { change: fresh, partition: 0, timestamp: t },
    { change: stale, partition: 0, timestamp: t },
  ]);

  const assets = (stdout: string) =>
    stdout
      .trimEnd()
      .split('\n')
      .map((l) => (JSON.parse(l) as { assetId: string }).assetId)
      .sort();
  const since = await runCli(['changes', '--since', '1h', '--json'], seekEnv);
  assert.equal(since.code, 0, since.stderr);
  assert.deepEqual(assets(since.stdout), ['asset-fresh', 'asset-margin']);
  // Without --since the whole topic is read: the decoys are there to be seen.
  const all = await runCli(['changes', '--json'], seekEnv);
  assert.equal(all.code, 0, all.stderr);
  assert.deepEqual(assets(all.stdout), [
    'asset-decoy-0',
    'asset-decoy-1',
    'asset-decoy-2',
    'asset-fresh',
    'asset-margin',
    'asset-stale',
  ]);
  // A time with nothing produced since: every partition starts at its end, and nothing is printed.
  const none = await runCli(['changes', '--since', new Date(t + HOUR).toISOString()], seekEnv);
  assert.equal(none.code, 0, none.stderr);
  assert.equal(none.stdout, '');
});

test('a malformed --since is a usage error', async () => {
  const result = await runCli(['changes', '--since', 'last tuesday'], env);
  assert.equal(result.code, 2);
  assert.match(result.stderr, /--since "last tuesday" is neither an ISO-8601 time .* nor a duration ago/);
  assert.equal(result.stdout, '');
});

test('--follow prints new changes as they are produced and ends by SIGINT on Ctrl-C, quietly', async () => {
  const bin = fileURLToPath(new URL('../../bin/asmvs.js', import.meta.url));
  const child = spawn(
    process.execPath,
    ['--disable-warning=TimeoutNegativeWarning', bin, 'changes', '--follow', '--since', '1h'],
    {
      env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '/root', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: 90_000,
    },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<[number | null, NodeJS.Signals | null]>((resolve) =>
    child.on('close', (code, signal) => resolve([code, signal])),
  );
  try {
    await eventually(
      async () => stdout,
      (s) => s.includes('asset asset-a') && s.includes('asset asset-b'),
      { timeoutMs: 30_000 },
    );
    assert.doesNotMatch(stdout, /asset-old/, '--since applies to what was there');
    const fresh = change('asset-new', 'PORT_OPENED', '127.0.0.1:4222/tcp', Date.now(), 'closed');
    await publishEvent(config, 'asset-changes', fresh.key, fresh.value);
    await eventually(
      async () => stdout,
      (s) => s.includes('127.0.0.1:4222/tcp  closed → open  asset asset-new  request req-asset-new'),
      { timeoutMs: 30_000 },
    );
  } finally {
    child.kill('SIGINT');
  }
  assert.deepEqual(await exited, [null, 'SIGINT'], stderr);
  assert.equal(stderr, '', 'no error, no stack trace');
  assert.equal(stdout.trimEnd().split('\n').length, 3, stdout);
});
