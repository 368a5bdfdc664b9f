// `asmvs scan` with no stack: every stage in one process against this machine's real loopback services.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runCli } from '../helpers/cli.ts';
import { startFakePlatform } from '../helpers/fake-platform-api.ts';
import type { Finding } from '../../src/schemas/types.gen.ts';

// No KAFKA_BROKERS, SCHEMA_REGISTRY_URL or DATABASE_URL: the embedded mode needs none of them.
const env = {};

test('scan 127.0.0.1 --json prints findings for the real loopback services and exits 0', async () => {
  const result = await runCli(['scan', '127.0.0.1', '--ports', '3306,4222,5432,6379', '--json'], env, 120_000);
  assert.equal(result.code, 0, result.stderr);
  const findings = JSON.parse(result.stdout) as Finding[];
  const services = new Map(
    findings.filter((f) => f.findingType === 'SERVICE').map((f) => [f.asset.port, f.asset.service]),
  );
  assert.deepEqual(Object.fromEntries(services), { 3306: 'mysql', 4222: 'nats', 5432: 'postgresql', 6379: 'redis' });
  const rules = findings
    .filter((f) => f.findingType !== 'SERVICE')
    .map((f) => `${f.ruleId}@${f.asset.port}`)
    .sort();
  assert.ok(rules.includes('redis-unauthenticated@6379'), rules.join(' '));
  assert.ok(rules.includes('nats-unauthenticated@4222'), rules.join(' '));
  for (const f of findings) {
    assert.match(f.fingerprint, /^[0-9a-f]{64}$/);
    assert.equal(f.provenance.rawTopic, 'raw-findings');
    assert.ok(f.provenance.scanId, 'each finding points back to its raw record');
  }
});

test('the same scan twice gives the same finding ids', async () => {
  const run = async () => {
    const r = await runCli(['scan', '127.0.0.1', '--ports', '6379', '--json'], env, 60_000);
    assert.equal(r.code, 0, r.stderr);
    return (JSON.parse(r.stdout) as Finding[]).map((f) => f.fingerprint).sort();
  };
  assert.deepEqual(await run(), await run());
});

test('the table output names each service and the SARIF output is SARIF 2.1.0', async () => {
  const table = await runCli(['scan', '127.0.0.1', '--ports', '6379'], env, 60_000);
  assert.equal(table.code, 0, table.stderr);
  assert.match(
    table.stdout,
    /high\s+127\.0\.0\.1:6379\/tcp\s+exposure\s+Redis accepts commands without authentication/,
  );
  const sarif = await runCli(['scan', '127.0.0.1', '--ports', '6379', '--sarif'], env, 60_000);
  assert.equal(sarif.code, 0, sarif.stderr);
  const log = JSON.parse(sarif.stdout) as { version: string; runs: { results: unknown[] }[] };
  assert.equal(log.version, '2.1.0');
  assert.ok((log.runs[0]?.results.length ?? 0) >= 1);
});

test('the one-shot scan sends nothing to the platform API, even with API_BASE_URL and API_TOKEN set', async () => {
  const platform = await startFakePlatform({ token: 'tkn' });
  try {
    const result = await runCli(
      ['scan', '127.0.0.1', '--ports', '6379', '--json'],
      { API_BASE_URL: platform.url, API_TOKEN: 'tkn' },
      120_000,
    );
    assert.equal(result.code, 0, result.stderr);
    assert.ok((JSON.parse(result.stdout) as Finding[]).length > 0);
    assert.deepEqual(platform.requests, []);
  } finally {
    await platform.close();
  }
});
