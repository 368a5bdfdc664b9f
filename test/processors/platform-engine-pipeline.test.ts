// The scan stages with the PLATFORM engine, on the local runner, against the fake platform API: a scan whose API
// fails twice completes once; a scan that never completes fails at its deadline while other scans keep flowing.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import pino from 'pino';
import { loadConfig } from '../../src/config/load.ts';
import { wireStages } from '../../src/app/stage-deps.ts';
import { createLocalRunner } from '../../src/runtime/local/local-runner.ts';
import { scanRequest } from '../../src/app/requests.ts';
import { startFakePlatform, type FakePlatform } from '../helpers/fake-platform-api.ts';
import { PLATFORM_REPORT } from '../helpers/fake-platform-report.ts';

let api: FakePlatform;

before(async () => {
  api = await startFakePlatform({ token: 'tkn' });
});
after(() => api.close());

async function pipeline(deadlineMs: number) {
  const config = loadConfig({
    API_BASE_URL: api.url,
    API_TOKEN: 'tkn',
    SCAN_ENGINE: 'platform',
    SCAN_DEADLINE_MS: String(Math.max(deadlineMs, 1000)),
    RETRY_BASE_MS: '5',
    RETRY_MAX_MS: '20',
  });
  const wiring = await wireStages(config, { poll: { firstMs: 20, maxMs: 50 } });
  const stages = wiring.stages.filter((s) =>
    ['vs_scan_trigger', 'vs_result_fetcher', 'vs_normalization'].includes(s.processor.name),
  );
  const runner = createLocalRunner({ stages, runtime: config.runtime, logger: pino({ level: 'silent' }) });
  return { runner, close: () => wiring.close() };
}

test('a platform scan whose API answers 500 twice, then succeeds, completes once', async () => {
  api.scanBehaviour = { pollsUntilDone: 2, format: 'asmvs-checks-json', report: PLATFORM_REPORT };
  api.fault({ match: /^POST \/api\/v1\/scans$/, status: 500, times: 2 });
  const scansBefore = api.scans.size;
  const { runner, close } = await pipeline(60_000);
  const request = scanRequest('127.0.0.1', { scope: null, profile: 'default', ports: [6379], engine: 'PLATFORM' });
  runner.publish('scan-requests', request.target, request);
  await runner.idle();
  await runner.stop();
  await close();
  assert.equal(api.scans.size, scansBefore + 1, 'one scan created on the platform');
  assert.equal(runner.deadLetters.length, 0);
  const findings = runner.collected('normalized-findings');
  assert.equal(findings.length, 1);
  assert.equal(findings[0]?.value.ruleId, 'redis-unauthenticated');
  assert.equal(runner.collected('raw-findings')[0]?.value.scanner.name, 'platform', 'the scanner the platform names');
});

test('a scan that never completes fails at its deadline, and another scan completes meanwhile', async () => {
  const { runner, close } = await pipeline(1_000);
  api.scanBehaviour = { pollsUntilDone: Infinity, format: 'asmvs-checks-json', report: PLATFORM_REPORT };
  const stuck = scanRequest('127.0.0.1', { scope: null, profile: 'default', ports: [6379], engine: 'PLATFORM' });
  runner.publish('scan-requests', 'stuck', stuck);
  await new Promise((r) => setTimeout(r, 100));
  api.scanBehaviour = { pollsUntilDone: 1, format: 'asmvs-checks-json', report: PLATFORM_REPORT };
  const quick = scanRequest('127.0.0.2', { scope: null, profile: 'default', ports: [6379], engine: 'PLATFORM' });
  runner.publish('scan-requests', 'quick', quick);
  await runner.idle();
  await runner.stop();
  await close();
  const statuses = runner.collected('job-status').map((r) => r.value);
  const failed = statuses.filter((s) => s.state === 'FAILED');
  assert.equal(failed.length, 1);
  assert.equal(failed[0]?.requestId, stuck.requestId);
  assert.equal(failed[0]?.errorCode, 'SCAN_DEADLINE_EXCEEDED');
  const quickDone = statuses.find((s) => s.requestId === quick.requestId && s.stage === 'vs_result_fetcher');
  const stuckFailed = failed[0]!;
  assert.ok(
    quickDone && quickDone.producedAt < stuckFailed.producedAt,
    'the quick scan finished while the stuck one was still waiting',
  );
  assert.equal(runner.deadLetters.length, 0);
});
