// Against PostgreSQL: the sink and the resolver commit before their asset-changes are published, so a change whose
// publish failed must come back when the event is redelivered — the same change, with the same ids — while other
// events of the same finding, and later scans, report nothing they did not cause.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sinkDeps } from '../../src/wiring/sink-deps.ts';
import { normalizeRaw, scanAssetKey } from '../../src/normalizers/index.ts';
import { findingsResolver } from '../../src/processors/findings-resolver.ts';
import { findingsSink } from '../../src/processors/findings-sink.ts';
import type { AnyProcessor } from '../../src/processor.ts';
import { createLocalRunner } from '../../src/runtime/local/local-runner.ts';
import type { AssetChange, Finding, RawFinding, ScanResult, TopicValues } from '../../src/schemas/types.gen.ts';
import { NOW, PROVENANCE, fixture, rawOf } from '../normalizers/raw.ts';
import { runtimeSettings, silent } from '../helpers/runtime-settings.ts';
import { withDatabase } from '../helpers/test-database.ts';

const HOUR = 3_600_000;
const full = fixture('nmap-vulners-weak-tls.xml').toString();
const fixedOne = full.replace(/<table>\s*<elem key="id">CVE-2021-41617<\/elem>[\s\S]*?<\/table>\s*/, '');

function scan(n: number, xml: string): RawFinding {
  return rawOf(xml, {
    eventId: `raw-${n}`,
    scanId: `scan-${n}`,
    scanner: { name: 'nmap', version: '7.93' },
    startedAt: NOW + n * HOUR - 60_000,
    finishedAt: NOW + n * HOUR,
  });
}

function summaryOf(raw: RawFinding, findingCount: number): ScanResult {
  return {
    eventId: `summary-${raw.eventId}`,
    requestId: raw.requestId,
    producedAt: raw.finishedAt,
    producer: { stage: 'vs_normalization', version: 'test' },
    scanId: raw.scanId,
    assetKey: scanAssetKey(raw),
    scanner: raw.scanner.name,
    finishedAt: raw.finishedAt,
    complete: true,
    findingCount,
    part: 0,
    parts: 1,
    coverage: null,
  };
}

/**
 * One delivery of events to a stage, in a runner of its own: what it would publish. A failed publish is a delivery
 * whose list is dropped; the redelivery is the next call with the same events.
 */
async function deliver<T extends 'normalized-findings' | 'scan-results'>(
  stage: AnyProcessor,
  deps: unknown,
  topic: T,
  events: readonly TopicValues[T][],
): Promise<AssetChange[]> {
  const runner = createLocalRunner({
    stages: [{ processor: stage, deps }],
    runtime: runtimeSettings(),
    logger: silent,
  });
  for (const e of events) runner.publish(topic, 'k', e);
  await runner.idle();
  assert.equal(runner.deadLetters.length, 0);
  return runner
    .collected('asset-changes')
    .map((c) => c.value)
    .sort((a, b) => a.changeId.localeCompare(b.changeId));
}

const ids = (changes: readonly AssetChange[]) => changes.map((c) => [c.kind, c.subject, c.changeId, c.eventId]);

test('a redelivered finding or scan summary reports its change again after the commit; others do not', async () => {
  await withDatabase(async (url) => {
    const deps = sinkDeps(url, () => NOW);
    const sink = (fs: Finding[]) => deliver(findingsSink as AnyProcessor, deps.sink, 'normalized-findings', fs);
    const resolver = (s: ScanResult) => deliver(findingsResolver as AnyProcessor, deps.resolver, 'scan-results', [s]);
    try {
      const first = normalizeRaw(scan(1, full), PROVENANCE, { now: NOW }).findings;
      // first delivery: committed, and its changes are lost (the publish failed)
      const lost = await sink(first);
      assert.equal(lost.length, 8);
      assert.ok(lost.every((c) => c.kind === 'FINDING_OPENED'));
      // the redelivery reports the same changes
      const again = await sink(first);
      assert.deepEqual(ids(again), ids(lost));

      // the next scan (other events of the same findings) opens nothing
      const second = normalizeRaw(scan(2, fixedOne), PROVENANCE, { now: NOW }).findings;
      assert.deepEqual(await sink(second), []);
      const fixedFp = first.find((f) => f.ruleId === 'CVE-2021-41617')!.fingerprint;

      // its summary resolves the fixed finding; a redelivered summary reports that resolution again
      const resolvedLost = await resolver(summaryOf(scan(2, fixedOne), second.length));
      assert.deepEqual(
        resolvedLost.map((c) => [c.kind, c.subject]),
        [['FINDING_RESOLVED', fixedFp]],
      );
      assert.deepEqual(ids(await resolver(summaryOf(scan(2, fixedOne), second.length))), ids(resolvedLost));
      // and the first scan's findings, redelivered now, no longer made the last change of the resolved one
      const late = await sink(first);
      assert.equal(late.length, 7);
      assert.ok(late.every((c) => c.subject !== fixedFp));

      // the third scan reopens it; redelivered, it reports the reopening again
      const third = normalizeRaw(scan(3, full), PROVENANCE, { now: NOW }).findings;
      const reopened = await sink(third);
      assert.deepEqual(
        reopened.map((c) => [c.kind, c.subject]),
        [['FINDING_REOPENED', fixedFp]],
      );
      assert.deepEqual(ids(await sink(third)), ids(reopened));
      // the second scan's summary, redelivered after the reopening, has nothing left to report
      assert.deepEqual(await resolver(summaryOf(scan(2, fixedOne), second.length)), []);
    } finally {
      await deps.close();
    }
  });
});
