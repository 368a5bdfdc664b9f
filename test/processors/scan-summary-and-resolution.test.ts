// The resolution design without a database: vs_normalization summarises complete single-part scans (count, not
// fingerprints), findings_resolver waits (retryable) until the sink holds them all, and the upsert batcher shares
// transactions without letting one refused finding fail the others.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AsmvsError } from '../../src/errors.ts';
import { normalizeRaw, scanAssetKey } from '../../src/normalizers/index.ts';
import { findingsResolver, waitTimerId, type FindingsResolverDeps } from '../../src/processors/findings-resolver.ts';
import { vsNormalization } from '../../src/processors/vs-normalization.ts';
import { createLocalRunner } from '../../src/runtime/local/local-runner.ts';
import type { ScanResolution } from '../../src/sink/index.ts';
import { upsertBatcher } from '../../src/sink/upsert-batcher.ts';
import type { Finding, ScanResult } from '../../src/schemas/types.gen.ts';
import { fixture, NOW, rawOf } from '../normalizers/raw.ts';
import { runtimeSettings, silent } from '../helpers/runtime-settings.ts';

const normalization = { normalize: normalizeRaw, now: () => NOW };

test('vs_normalization emits one scan summary per complete report or part, keyed by the asset key', async () => {
  const runner = createLocalRunner({
    stages: [{ processor: vsNormalization, deps: normalization }],
    runtime: runtimeSettings(),
    logger: silent,
  });
  const xml = fixture('nmap-vulners-weak-tls.xml');
  const complete = rawOf(xml, { eventId: 'r1', scanId: 's1', scanner: { name: 'nmap', version: null } });
  runner.publish('raw-findings', 'asset-1', complete);
  runner.publish('raw-findings', 'asset-1', rawOf(xml, { eventId: 'r2', scanId: 's2', complete: false }));
  runner.publish('raw-findings', 'asset-1', rawOf(xml, { eventId: 'r3', scanId: 's3', part: 0, parts: 2 }));
  await runner.idle();
  assert.equal(runner.collected('normalized-findings').length, 24);
  const summaries = runner.collected('scan-results');
  assert.equal(summaries.length, 2, "the complete report and the split report's part; not the incomplete one");
  const part = summaries.find((x) => x.value.scanId === 's3')!;
  assert.deepEqual([part.value.part, part.value.parts, part.value.findingCount], [0, 2, 8]);
  const s = summaries.find((x) => x.value.scanId === 's1')!;
  assert.equal(s.key, scanAssetKey(complete));
  assert.deepEqual(
    // the coverage's content is test/normalizers/coverage.test.ts's subject
    {
      ...s.value,
      eventId: typeof s.value.eventId,
      producer: s.value.producer.stage,
      coverage: s.value.coverage?.open.length,
    },
    {
      eventId: 'string',
      requestId: 'request-1',
      producedAt: NOW,
      producer: 'vs_normalization',
      scanId: 's1',
      assetKey: 'asset-1',
      scanner: 'nmap',
      finishedAt: NOW,
      complete: true,
      findingCount: 8,
      part: 0,
      parts: 1,
      coverage: 3,
    },
  );
});

function summary(overrides: Partial<ScanResult> = {}): ScanResult {
  return {
    eventId: 'e1',
    requestId: 'r1',
    producedAt: NOW,
    producer: { stage: 'vs_normalization', version: 'test' },
    scanId: 's1',
    assetKey: 'asset-1',
    scanner: 'nmap',
    finishedAt: NOW,
    complete: true,
    findingCount: 3,
    part: 0,
    parts: 1,
    coverage: null,
    ...overrides,
  };
}

/** Polls until `done` holds (or fails the test after `ms`): the resolver's waits run on timers, past idle(). */
async function until(done: () => boolean, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!done()) {
    assert.ok(Date.now() < deadline, 'timed out waiting');
    await new Promise((r) => setTimeout(r, 10));
  }
}

test('findings_resolver waits on a timer while findings are missing, then reports each resolved finding', async () => {
  const answers: ScanResolution[] = [
    { state: 'waiting', held: 1, expected: 3 },
    { state: 'waiting', held: 2, expected: 3 },
    { state: 'resolved', resolved: ['fp-a', 'fp-b'] },
  ];
  const asked: number[] = [];
  const deps: FindingsResolverDeps = {
    resolveScan: async () => (asked.push(Date.now()), answers.shift() ?? { state: 'already', resolved: [] }),
    now: () => NOW,
    waitMs: 60_000,
  };
  const runner = createLocalRunner({
    stages: [{ processor: findingsResolver, deps }],
    runtime: runtimeSettings(),
    logger: silent,
  });
  runner.publish('scan-results', 'asset-1', summary());
  await runner.idle();
  // the summary is handled (its offset could commit) while it waits: a timer holds it, not a retry loop
  assert.deepEqual(
    runner.pendingTimers('findings_resolver').map((t) => [t.key, t.id]),
    [['asset-1', waitTimerId(summary())]],
  );
  await until(() => runner.collected('asset-changes').length === 2);
  assert.equal(runner.deadLetters.length, 0);
  const changes = runner
    .collected('asset-changes')
    .map((c) => [c.key, c.value.kind, c.value.subject, c.value.observedAt]);
  assert.deepEqual(changes, [
    ['asset-1', 'FINDING_RESOLVED', 'fp-a', NOW],
    ['asset-1', 'FINDING_RESOLVED', 'fp-b', NOW],
  ]);
  assert.equal(asked.length, 3);
  // checked again after 200 ms, then 400 ms (timers may fire late, never early)
  assert.ok((asked[1] as number) - (asked[0] as number) >= 190, String(asked));
  assert.ok((asked[2] as number) - (asked[1] as number) >= 390, String(asked));
  assert.deepEqual(runner.pendingTimers('findings_resolver'), [], 'nothing left waiting');
  await runner.stop();
});

test("a scan waiting for its findings holds up neither its asset's other scans nor other assets", async () => {
  const deps: FindingsResolverDeps = {
    resolveScan: async (scan) =>
      scan.scanId === 's-slow' ? { state: 'waiting', held: 0, expected: 3 } : { state: 'resolved', resolved: ['fp'] },
    now: () => NOW,
    waitMs: 60_000,
  };
  const runner = createLocalRunner({
    stages: [{ processor: findingsResolver, deps }],
    runtime: runtimeSettings({ concurrency: 1 }),
    logger: silent,
  });
  runner.publish('scan-results', 'asset-1', summary({ scanId: 's-slow' }));
  runner.publish('scan-results', 'asset-1', summary({ scanId: 's-next' }));
  runner.publish('scan-results', 'asset-2', summary({ scanId: 's-other', assetKey: 'asset-2' }));
  await runner.idle();
  assert.deepEqual(
    runner
      .collected('asset-changes')
      .map((c) => c.value.assetId)
      .sort(),
    ['asset-1', 'asset-2'],
  );
  assert.deepEqual(
    runner.pendingTimers('findings_resolver').map((t) => t.id),
    [waitTimerId({ scanId: 's-slow', part: 0 })],
  );
  await runner.stop();
});

test('findings_resolver dead-letters a scan whose findings never all arrive within RESOLVE_WAIT_MS', async () => {
  const deps: FindingsResolverDeps = {
    resolveScan: async () => ({ state: 'waiting', held: 1, expected: 3 }),
    now: () => NOW,
    waitMs: 700,
  };
  const runner = createLocalRunner({
    stages: [{ processor: findingsResolver, deps }],
    runtime: runtimeSettings(),
    logger: silent,
  });
  runner.publish('scan-results', 'asset-1', summary());
  await until(() => runner.deadLetters.length > 0);
  await runner.idle();
  assert.equal(runner.deadLetters.length, 1);
  assert.equal(runner.deadLetters[0]?.error.code, 'SCAN_FINDINGS_MISSING');
  assert.match(
    runner.deadLetters[0]?.error.message ?? '',
    /scan s1: 1 of its 3 findings were stored after \d+ ms of waiting \(RESOLVE_WAIT_MS 700\); nothing was resolved/,
  );
  assert.equal(runner.deadLetters[0]?.attempts, 1, 'not retried: waiting longer is what the timer did');
  assert.equal(runner.collected('asset-changes').length, 0);
  assert.deepEqual(runner.pendingTimers('findings_resolver'), []);
  await runner.stop();
});

function finding(fp: string): Finding {
  const raw = rawOf(fixture('nmap-loopback.xml'));
  const f = normalizeRaw(raw, { topic: 't', partition: 0, offset: 0 }, { now: NOW }).findings[0]!;
  return { ...f, fingerprint: fp };
}

test('the upsert batcher shares one transaction among concurrent findings and isolates a refused one', async () => {
  const calls: string[][] = [];
  const upsert = upsertBatcher(async (findings) => {
    calls.push(findings.map((f) => f.fingerprint));
    if (findings.some((f) => f.fingerprint === 'bad')) throw new TypeError('bad row');
    return {
      opened: findings.map((f) => f.fingerprint).filter((fp) => fp !== 'b'),
      reopened: ['b'],
      changes: findings.map((f) => ({
        fingerprint: f.fingerprint,
        kind: f.fingerprint === 'b' ? ('FINDING_REOPENED' as const) : ('FINDING_OPENED' as const),
        eventId: f.eventId,
        repeated: false,
      })),
      written: findings.length,
    };
  });
  const outcomes = await Promise.all(['a', 'b', 'c'].map((fp) => upsert(finding(fp))));
  assert.deepEqual(calls, [['a', 'b', 'c']]);
  assert.deepEqual(outcomes, [
    { opened: true, reopened: false },
    { opened: false, reopened: true },
    { opened: true, reopened: false },
  ]);

  calls.length = 0;
  const settled = await Promise.allSettled(['d', 'bad', 'e'].map((fp) => upsert(finding(fp))));
  assert.deepEqual(
    settled.map((s) => s.status),
    ['fulfilled', 'rejected', 'fulfilled'],
  );
  assert.deepEqual(calls, [['d', 'bad', 'e'], ['d'], ['bad'], ['e']]);

  // a database outage fails the whole batch at once (each event retries); nothing is tried row by row
  calls.length = 0;
  const down = upsertBatcher(async (findings) => {
    calls.push(findings.map((f) => f.fingerprint));
    throw new AsmvsError('DATABASE_UNAVAILABLE', 'down');
  });
  const failed = await Promise.allSettled(['x', 'y'].map((fp) => down(finding(fp))));
  assert.ok(failed.every((s) => s.status === 'rejected'));
  assert.deepEqual(calls, [['x', 'y']]);
});

test('findings_resolver reports the resolutions of a redelivered summary again, with the same change ids', async () => {
  const answers: ScanResolution[] = [
    { state: 'resolved', resolved: ['fp-a', 'fp-b'] },
    { state: 'already', resolved: ['fp-a', 'fp-b'] },
  ];
  const deps: FindingsResolverDeps = { resolveScan: async () => answers.shift()!, now: () => NOW, waitMs: 60_000 };
  const runner = createLocalRunner({
    stages: [{ processor: findingsResolver, deps }],
    runtime: runtimeSettings(),
    logger: silent,
  });
  runner.publish('scan-results', 'asset-1', summary());
  runner.publish('scan-results', 'asset-1', summary());
  await runner.idle();
  const changes = runner.collected('asset-changes').map((c) => [c.value.changeId, c.value.eventId, c.value.subject]);
  assert.equal(changes.length, 4);
  assert.deepEqual(changes.slice(2), changes.slice(0, 2));
});

test('the upsert batcher gives a change to the event that caused it, not to another event of the same fingerprint', async () => {
  const upsert = upsertBatcher(async () => ({
    opened: ['same'],
    reopened: [],
    changes: [{ fingerprint: 'same', kind: 'FINDING_OPENED', eventId: 'second', repeated: false }],
    written: 1,
  }));
  const first = { ...finding('same'), eventId: 'first' };
  const second = { ...finding('same'), eventId: 'second' };
  assert.deepEqual(await Promise.all([upsert(first), upsert(second)]), [
    { opened: false, reopened: false },
    { opened: true, reopened: false },
  ]);
});
