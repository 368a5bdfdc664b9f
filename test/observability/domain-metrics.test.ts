// Scans started and finished by engine, their durations and findings by severity are counted from what the real
// processors consume and emit (observeProcessor), on the local runner: a retried attempt counts nothing, a dead
// letter of vs_result_fetcher counts a failed scan.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import pino from 'pino';
import { AsmvsError } from '../../src/errors.ts';
import type { AnyProcessor } from '../../src/processor.ts';
import type { ScanJob } from '../../src/schemas/types.gen.ts';
import { createLocalRunner } from '../../src/runtime/local/local-runner.ts';
import { scanRequest } from '../../src/app/requests.ts';
import { createMetrics } from '../../src/observability/metrics.ts';
import { observeProcessor } from '../../src/observability/domain-metrics.ts';
import { vsScanTrigger, type ScanTriggerDeps } from '../../src/processors/vs-scan-trigger.ts';
import { vsResultFetcher, type ResultFetcherDeps } from '../../src/processors/vs-result-fetcher.ts';
import { vsNormalization, type NormalizationDeps } from '../../src/processors/vs-normalization.ts';
import { normalizeRaw } from '../../src/normalizers/index.ts';
import { fixture, rawOf } from '../normalizers/raw.ts';
import { producerOf } from '../../src/version.ts';

const runtime = {
  concurrency: 4,
  maxInFlight: 100,
  retry: { maxAttempts: 3, baseMs: 1, maxMs: 2 },
  shutdownDeadlineMs: 1_000,
  exactlyOnce: false,
};
const NOW = 1_800_000_000_000;

async function run(processor: AnyProcessor, deps: unknown, publish: (r: ReturnType<typeof createLocalRunner>) => void) {
  const metrics = createMetrics();
  const runner = createLocalRunner({
    stages: [{ processor: observeProcessor(processor, metrics, () => NOW), deps }],
    runtime,
    logger: pino({ level: 'silent' }),
  });
  publish(runner);
  await runner.idle();
  return { metrics, runner };
}

const value = async (metrics: ReturnType<typeof createMetrics>, name: string) =>
  (await metrics.registry.getSingleMetric(name)?.get())?.values.map((v) => [v.labels, v.value]) ?? [];

test('vs_scan_trigger: a started scan counts once per engine, after a retried attempt', async () => {
  let calls = 0;
  const deps: ScanTriggerDeps = {
    defaultEngine: 'BUILTIN',
    defaultScanners: ['asmvs-checks'],
    deadlineMs: 60_000,
    admit: async () => {
      calls += 1;
      if (calls === 1) throw new AsmvsError('SCANNER_FAILED', 'resolver hiccup');
      return '127.0.0.1';
    },
    now: () => NOW,
  };
  const request = scanRequest('127.0.0.1', { scope: null, profile: 'default', ports: [80], engine: null });
  const { metrics, runner } = await run(vsScanTrigger as AnyProcessor, deps, (r) =>
    r.publish('scan-requests', '127.0.0.1', request),
  );
  assert.equal(runner.collected('scan-jobs').length, 1);
  assert.equal(calls, 2, 'the first attempt failed and was retried');
  assert.deepEqual(await value(metrics, 'asmvs_scans_started_total'), [[{ engine: 'builtin' }, 1]]);
});

const job = (scanId: string, engine: ScanJob['engine']): ScanJob => ({
  eventId: `e-${scanId}`,
  requestId: 'req',
  producedAt: NOW - 30_000,
  producer: producerOf('vs_scan_trigger'),
  scanId,
  assetId: 'asset-1',
  target: '127.0.0.1',
  hostname: null,
  address: '127.0.0.1',
  ports: [80],
  services: [],
  scanners: ['asmvs-checks'],
  profile: 'default',
  engine,
  platformScanId: engine === 'PLATFORM' ? `p-${scanId}` : null,
  scope: null,
  startedAt: NOW - 30_000,
  deadlineAt: NOW + 60_000,
});

test('vs_result_fetcher: completed, failed (job-status FAILED) and dead-lettered scans, with durations', async () => {
  const deps: ResultFetcherDeps = {
    async *runBuiltin(j) {
      if (j.scanId === 'bad') throw new AsmvsError('TARGET_OUT_OF_SCOPE', 'out of scope');
      yield {
        scanner: { name: 'asmvs-checks', version: null },
        format: 'asmvs-checks-json',
        payload: Buffer.from('{}'),
        truncated: false,
        complete: true,
        startedAt: NOW - 30_000,
        finishedAt: NOW,
      };
    },
    awaitPlatform: () => Promise.reject(new AsmvsError('SCAN_DEADLINE_EXCEEDED', 'too slow')),
    now: () => NOW,
  };
  const { metrics } = await run(vsResultFetcher as AnyProcessor, deps, (r) => {
    r.publish('scan-jobs', 'a', job('ok', 'BUILTIN'));
    r.publish('scan-jobs', 'b', job('bad', 'BUILTIN'));
    r.publish('scan-jobs', 'c', job('late', 'PLATFORM'));
  });
  const finished = new Map(
    (await value(metrics, 'asmvs_scans_finished_total')).map(([l, v]) => [JSON.stringify(l), v]),
  );
  assert.deepEqual(Object.fromEntries(finished), {
    [JSON.stringify({ engine: 'builtin', outcome: 'completed' })]: 1,
    [JSON.stringify({ engine: 'builtin', outcome: 'failed' })]: 1,
    [JSON.stringify({ engine: 'platform', outcome: 'failed' })]: 1,
  });
  const sums = (await value(metrics, 'asmvs_scan_duration_seconds')).filter(([l]) =>
    String((l as { le?: unknown }).le ?? '').startsWith('+Inf'),
  );
  assert.equal(sums.length, 3, 'one duration per engine and outcome');
  const text = await metrics.registry.metrics();
  assert.match(text, /asmvs_scan_duration_seconds_sum\{engine="builtin",outcome="completed"\} 30\n/);
});

test('vs_normalization: findings by severity', async () => {
  const deps: NormalizationDeps = { normalize: (raw, provenance) => normalizeRaw(raw, provenance) };
  const raw = rawOf(fixture('trivy-image.json'), { scanner: { name: 'trivy', version: null }, format: 'trivy-json' });
  const { metrics, runner } = await run(vsNormalization as AnyProcessor, deps, (r) =>
    r.publish('raw-findings', 'asset-1', raw),
  );
  const findings = runner.collected('normalized-findings');
  assert.ok(findings.length > 0);
  const expected = new Map<string, number>();
  for (const f of findings)
    expected.set(f.value.severity.toLowerCase(), (expected.get(f.value.severity.toLowerCase()) ?? 0) + 1);
  const counted = new Map(
    (await value(metrics, 'asmvs_findings_total')).map(([l, v]) => [(l as { severity: string }).severity, v]),
  );
  assert.deepEqual(counted, expected);
});

test('a stage without counts is not wrapped', () => {
  const p = { name: 'findings_sink' } as AnyProcessor;
  assert.equal(observeProcessor(p, createMetrics()), p);
});
