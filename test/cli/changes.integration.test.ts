// `asmvs changes` on the real stack: prints the asset-changes produced here as lines or JSON lines, honours --since,
// --kind and --asset, and with --follow prints new changes until SIGINT, then exits 0.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { createTopics } from '../../src/admin/topics.ts';
import { requireKafka } from '../../src/config/config.ts';
import { createKafka } from '../../src/runtime/kafka/client.ts';
import { publishEvent, publishEvents } from '../../src/runtime/kafka/publish.ts';
import type { AssetChange, ChangeKind } from '../../src/schemas/types.gen.ts';
import { topicSpecs } from '../../src/topics.ts';
import { runCli } from '../helpers/cli.ts';
import { eventually } from '../helpers/eventually.ts';
import { KAFKA_BROKERS, SCHEMA_REGISTRY_URL, stackConfig, uniquePrefix } from '../helpers/stack.ts';

const prefix = uniquePrefix('changes');
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
  await admin
    .deleteTopics({ topics: topicSpecs({ rawFindingsRetentionMs: 1 }).map((s) => prefix + s.name) })
    .catch(() => undefined);
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

test('a malformed --since is a usage error', async () => {
  const result = await runCli(['changes', '--since', 'last tuesday'], env);
  assert.equal(result.code, 2);
  assert.match(result.stderr, /--since "last tuesday" is neither an ISO-8601 time .* nor a duration ago/);
  assert.equal(result.stdout, '');
});

test('--follow prints new changes as they are produced and exits 0 on SIGINT', async () => {
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
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
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
  assert.equal(await exited, 0, stderr);
  assert.equal(stdout.trimEnd().split('\n').length, 3, stdout);
});
