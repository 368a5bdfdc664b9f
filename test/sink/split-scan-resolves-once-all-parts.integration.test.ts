// Against PostgreSQL: a split scan (raw events with parts > 1) is summarised per part; resolveScan records each part
// and resolves only once every part's summary is in and the sink holds all their findings — in any arrival order —
// and a fingerprint that two parts both report keeps it waiting rather than resolving too much.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { normalizeRaw, scanAssetKey } from '../../src/normalizers/index.ts';
import { openSink, type FindingsSink, type ScanSummary } from '../../src/sink/index.ts';
import type { RawFinding } from '../../src/schemas/types.gen.ts';
import { NOW, PROVENANCE, rawOf } from '../normalizers/raw.ts';
import { withDatabase } from '../helpers/test-database.ts';

const HOUR = 3_600_000;

function report(checks: readonly string[]): string {
  return JSON.stringify({
    schema: 'asmvs-checks/1',
    scanner: { name: 'asmvs-checks', version: '0.1.0' },
    target: '10.0.0.1',
    checks: checks.map((id) => ({ id, title: id, severity: 'high', host: '10.0.0.1', port: 6379, protocol: 'tcp' })),
  });
}

function raw(scan: number, checks: readonly string[], part = 0, parts = 1): RawFinding {
  return rawOf(report(checks), {
    eventId: `raw-${scan}-${part}`,
    scanId: `scan-${scan}`,
    scanner: { name: 'asmvs-checks', version: '0.1.0' },
    format: 'asmvs-checks-json',
    part,
    parts,
    finishedAt: NOW + scan * HOUR,
  });
}

async function store(sink: FindingsSink, r: RawFinding) {
  const { findings } = normalizeRaw(r, PROVENANCE, { now: NOW });
  await sink.upsertFindings(findings);
  return findings;
}

function summary(r: RawFinding, findingCount: number): ScanSummary {
  return {
    assetKey: scanAssetKey(r),
    scanner: r.scanner.name,
    scanId: r.scanId,
    finishedAt: r.finishedAt,
    findingCount,
    part: r.part,
    parts: r.parts,
  };
}

test('a split scan resolves once every part is summarised and stored, whatever the order', async () => {
  await withDatabase(async (url) => {
    const sink = openSink(url);
    try {
      await sink.migrate();
      const first = raw(1, ['a', 'b', 'c', 'd']);
      const stored = await store(sink, first);
      assert.equal((await sink.resolveScan(summary(first, 4))).state, 'resolved');
      const fixed = stored.find((f) => f.ruleId === 'd')!.fingerprint;

      // scan 2 in two parts, without d: the second part's summary arrives first, before any finding
      const part0 = raw(2, ['a', 'b'], 0, 2);
      const part1 = raw(2, ['c'], 1, 2);
      assert.deepEqual(await sink.resolveScan(summary(part1, 1)), { state: 'partial', recorded: 1, parts: 2 });
      assert.deepEqual(await sink.resolveScan(summary(part1, 1)), { state: 'partial', recorded: 1, parts: 2 });
      await store(sink, part1);
      // every part summarised, only part 1's findings stored: wait for part 0's
      assert.deepEqual(await sink.resolveScan(summary(part0, 2)), { state: 'waiting', held: 1, expected: 3 });
      await store(sink, part0);
      assert.deepEqual(await sink.resolveScan(summary(part0, 2)), { state: 'resolved', resolved: [fixed] });
      // either part's summary redelivered: recorded, with what the scan resolved
      assert.deepEqual(await sink.resolveScan(summary(part1, 1)), { state: 'already', resolved: [fixed] });
    } finally {
      await sink.close();
    }
  });
});

test('a fingerprint reported by two parts keeps the split scan waiting: it never resolves too much', async () => {
  await withDatabase(async (url) => {
    const sink = openSink(url);
    try {
      await sink.migrate();
      const first = raw(1, ['a', 'b', 'c']);
      await store(sink, first);
      await sink.resolveScan(summary(first, 3));
      const part0 = raw(2, ['a', 'b'], 0, 2);
      const part1 = raw(2, ['b'], 1, 2);
      await store(sink, part0);
      await store(sink, part1);
      assert.equal((await sink.resolveScan(summary(part0, 2))).state, 'partial');
      assert.deepEqual(await sink.resolveScan(summary(part1, 1)), { state: 'waiting', held: 2, expected: 3 });
    } finally {
      await sink.close();
    }
  });
});
