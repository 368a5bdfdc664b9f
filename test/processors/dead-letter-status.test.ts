// Each scanning stage reports a dead-lettered event as job-status FAILED for its request (subject: the asset or
// scan id where known; message and code from the error), on the local runner, so that a request can be followed
// to its end even when one of its events ends in a DLQ.
import { operatorPolicy } from '../../src/scanners/scope/policy.ts';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import pino from 'pino';
import { AsmvsError } from '../../src/errors.ts';
import type { AnyProcessor } from '../../src/processor.ts';
import type { Asset, ScanJob } from '../../src/schemas/types.gen.ts';
import type { SchemaTopic } from '../../src/schemas/registry-files.ts';
import { createLocalRunner } from '../../src/runtime/local/local-runner.ts';
import { discoveryRequest, scanRequest } from '../../src/app/requests.ts';
import { scanIdOf } from '../../src/ids.ts';
import { asmDiscovery, type DiscoveryDeps } from '../../src/processors/asm-discovery.ts';
import { asmExposure, type ExposureDeps } from '../../src/processors/asm-exposure.ts';
import { vsScanTrigger, type ScanTriggerDeps } from '../../src/processors/vs-scan-trigger.ts';
import { vsResultFetcher, type ResultFetcherDeps } from '../../src/processors/vs-result-fetcher.ts';
import { producerOf } from '../../src/version.ts';
import { asset as assetAt } from '../helpers/exposure-harness.ts';

const runtime = {
  concurrency: 4,
  maxInFlight: 100,
  retry: { maxAttempts: 2, baseMs: 1, maxMs: 2 },
  shutdownDeadlineMs: 1_000,
  exactlyOnce: false,
};
const outOfScope = () => new AsmvsError('TARGET_OUT_OF_SCOPE', '169.254.169.254 is out of scope: link-local');

async function failedStatuses(processor: AnyProcessor, deps: unknown, topic: SchemaTopic, key: string, value: unknown) {
  const runner = createLocalRunner({ stages: [{ processor, deps }], runtime, logger: pino({ level: 'silent' }) });
  runner.publish(topic, key, value as never);
  await runner.idle();
  assert.equal(runner.deadLetters.length, 1, 'dead-lettered');
  return runner.collected('job-status').filter((r) => r.value.state === 'FAILED');
}

const asset: Asset = assetAt(0, [], { eventId: 'e1', requestId: 'req-asset' });

test('asm_discovery: an out-of-scope target → FAILED for the request', async () => {
  const request = discoveryRequest(['169.254.169.254'], {
    scope: null,
    profile: 'default',
    ports: null,
    requestId: 'req-d',
  });
  const deps: DiscoveryDeps = {
    policy: () => operatorPolicy({ allow: [], deny: [], allowMetadata: false, maxAddresses: 65_536 }),
    expandName: () => Promise.reject(outOfScope()),
    chunkSize: 16,
    now: Date.now,
  };
  const failed = await failedStatuses(asmDiscovery as AnyProcessor, deps, 'discovery-requests', 'req-d', request);
  assert.equal(failed.length, 1);
  assert.equal(failed[0]?.key, 'req-d');
  assert.equal(failed[0]?.value.stage, 'asm_discovery');
  assert.equal(failed[0]?.value.requestId, 'req-d');
  assert.equal(failed[0]?.value.errorCode, 'TARGET_OUT_OF_SCOPE');
  assert.match(failed[0]?.value.message ?? '', /out of scope/);
});

test('asm_exposure: FAILED with the asset id as subject', async () => {
  const deps: ExposureDeps = {
    analyze: () => {
      throw new AsmvsError('REPORT_UNPARSEABLE', 'cannot judge this asset');
    },
    decide: () => ({ scan: false, scanners: [], reason: 'n/a' }),
    now: Date.now,
    monitoring: { minIntervalMs: 60_000, rescanPolicy: [], certWarningMs: 0, goneAfterRounds: 2 },
  };
  const failed = await failedStatuses(asmExposure as AnyProcessor, deps, 'assets', asset.assetId, asset);
  assert.deepEqual(
    failed.map((r) => [r.key, r.value.stage, r.value.subject, r.value.errorCode, r.value.message]),
    [['req-asset', 'asm_exposure', 'asset-1', 'REPORT_UNPARSEABLE', 'cannot judge this asset']],
  );
});

test('vs_scan_trigger: FAILED with the scan id handle() would have used (retries exhausted)', async () => {
  const request = scanRequest('169.254.169.254', {
    scope: null,
    profile: 'default',
    ports: [80],
    engine: null,
    requestId: 'req-s',
  });
  const deps: ScanTriggerDeps = {
    defaultEngine: 'BUILTIN',
    defaultScanners: ['asmvs-checks'],
    deadlineMs: 60_000,
    admit: () => Promise.reject(new AsmvsError('SCANNER_FAILED', 'resolver down')),
    now: Date.now,
  };
  const failed = await failedStatuses(vsScanTrigger as AnyProcessor, deps, 'scan-requests', 'req-s', request);
  assert.deepEqual(
    failed.map((r) => [r.key, r.value.stage, r.value.subject, r.value.errorCode]),
    [['req-s', 'vs_scan_trigger', scanIdOf('req-s', '169.254.169.254', ['asmvs-checks']), 'SCANNER_FAILED']],
  );
});

test('vs_result_fetcher: FAILED with the scan id as subject', async () => {
  const job: ScanJob = {
    eventId: 'j1',
    requestId: 'req-j',
    producedAt: 0,
    producer: producerOf('vs_scan_trigger'),
    scanId: 'scan-1',
    assetId: 'asset-1',
    target: '127.0.0.1',
    address: '127.0.0.1',
    ports: [80],
    scanners: ['asmvs-checks'],
    profile: 'default',
    engine: 'BUILTIN',
    platformScanId: null,
    scope: null,
    startedAt: 0,
    deadlineAt: 0,
    hostname: null,
    services: [],
  };
  const deps: ResultFetcherDeps = {
    // eslint-disable-next-line require-yield
    async *runBuiltin() {
      throw outOfScope();
    },
    now: Date.now,
  };
  const failed = await failedStatuses(vsResultFetcher as AnyProcessor, deps, 'scan-jobs', 'asset-1', job);
  assert.deepEqual(
    failed.map((r) => [r.key, r.value.stage, r.value.subject, r.value.errorCode]),
    [['req-j', 'vs_result_fetcher', 'scan-1', 'TARGET_OUT_OF_SCOPE']],
  );
});
