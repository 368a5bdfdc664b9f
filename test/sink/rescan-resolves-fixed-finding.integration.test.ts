// Against PostgreSQL: a complete rescan with one issue fixed resolves exactly that finding; its return reopens it;
// replaying every scan (into the same database or a fresh one) changes nothing but normalizer_version.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { normalizeRaw, scanAssetKey } from '../../src/normalizers/index.ts';
import { openSink } from '../../src/sink/index.ts';
import type { FindingsSink } from '../../src/sink/index.ts';
import type { RawFinding } from '../../src/schemas/types.gen.ts';
import { NOW, PROVENANCE, fixture, rawOf } from '../normalizers/raw.ts';
import { withDatabase } from '../helpers/test-database.ts';

const HOUR = 3_600_000;
const full = fixture('nmap-vulners-weak-tls.xml').toString();
// the same report after CVE-2021-41617 was fixed on 127.0.0.1:22
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

async function ingest(sink: FindingsSink, raw: RawFinding, normalizerVersion = '1.0.0') {
  const r = normalizeRaw(raw, PROVENANCE, { now: raw.finishedAt, normalizerVersion });
  const upserted = await sink.upsertFindings(r.findings);
  assert.ok(r.complete);
  const done = await sink.completeScan({
    assetKey: scanAssetKey(raw),
    scanner: raw.scanner.name,
    scanId: raw.scanId,
    finishedAt: raw.finishedAt,
    seenFingerprints: r.findings.map((f) => f.fingerprint),
  });
  return { ...upserted, resolved: done.resolved, findings: r.findings };
}

async function snapshot(url: string): Promise<Record<string, unknown>[]> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const rows = await c.query(
      `SELECT fingerprint, asset_key, scanner, status, first_seen, last_seen, resolved_at, reopened_count, occurrences,
              last_scan_id, normalizer_version, cves, severity, finding FROM findings ORDER BY fingerprint`,
    );
    return rows.rows as Record<string, unknown>[];
  } finally {
    await c.end();
  }
}

test('rescan with one issue fixed resolves exactly that finding; its return reopens it; replays change nothing', async () => {
  await withDatabase(async (url) => {
    const sink = openSink(url);
    try {
      assert.deepEqual(await sink.migrate(), [
        '001_assets_and_findings.sql',
        '002_findings_by_scan.sql',
        '003_findings_last_change.sql',
        '004_scan_parts.sql',
        '005_scan_parts_coverage.sql',
      ]);
      const first = await ingest(sink, scan(1, full));
      assert.equal(first.opened.length, 8);
      assert.deepEqual(first.resolved, []);
      const fixedFp = first.findings.find((f) => f.ruleId === 'CVE-2021-41617')?.fingerprint;
      assert.ok(fixedFp);

      const second = await ingest(sink, scan(2, fixedOne));
      assert.equal(second.findings.length, 7);
      assert.deepEqual(second.opened, []);
      assert.deepEqual(second.resolved, [fixedFp]);

      let rows = await snapshot(url);
      assert.deepEqual(
        rows.filter((r) => r['status'] === 'RESOLVED').map((r) => r['fingerprint']),
        [fixedFp],
      );
      assert.equal(rows.filter((r) => r['status'] === 'OPEN').length, 7);

      const third = await ingest(sink, scan(3, full));
      assert.deepEqual(third.reopened, [fixedFp]);
      assert.deepEqual(third.resolved, []);
      rows = await snapshot(url);
      const back = rows.find((r) => r['fingerprint'] === fixedFp);
      assert.equal(back?.['status'], 'REOPENED');
      assert.equal(back?.['reopened_count'], 1);
      assert.equal(back?.['resolved_at'], null);
      assert.deepEqual(back?.['first_seen'], new Date(NOW + HOUR));
      assert.deepEqual(back?.['last_seen'], new Date(NOW + 3 * HOUR));

      // replay every scan again, in order: identical rows
      const before = await snapshot(url);
      for (const [n, xml] of [
        [1, full],
        [2, fixedOne],
        [3, full],
      ] as const) {
        const again = await ingest(sink, scan(n, xml));
        assert.deepEqual(again.opened, []);
        assert.deepEqual(again.reopened, []);
        assert.deepEqual(again.resolved, []);
      }
      assert.deepEqual(await snapshot(url), before);

      // replay with a newer normalizer: only normalizer_version moves (for what the latest scan saw)
      for (const [n, xml] of [
        [1, full],
        [2, fixedOne],
        [3, full],
      ] as const)
        await ingest(sink, scan(n, xml), '1.1.0');
      const after = await snapshot(url);
      assert.deepEqual(
        after.map(({ normalizer_version: _v, finding: _f, ...rest }) => rest),
        before.map(({ normalizer_version: _v, finding: _f, ...rest }) => rest),
      );
      assert.ok(after.every((r) => r['normalizer_version'] === '1.1.0'));
      assert.deepEqual(
        after.map((r) => ({ ...(r['finding'] as object), normalizerVersion: null })),
        before.map((r) => ({ ...(r['finding'] as object), normalizerVersion: null })),
      );
    } finally {
      await sink.close();
    }
  });
});

test('replaying all scans into a fresh database gives the same rows as processing them live', async () => {
  const live = await withDatabase(async (url) => {
    const sink = openSink(url);
    try {
      await sink.migrate();
      for (const [n, xml] of [
        [1, full],
        [2, fixedOne],
        [3, full],
      ] as const)
        await ingest(sink, scan(n, xml));
      return snapshot(url);
    } finally {
      await sink.close();
    }
  });
  const replayed = await withDatabase(async (url) => {
    const sink = openSink(url);
    try {
      await sink.migrate();
      // a redelivered batch in the middle changes nothing either
      for (const [n, xml] of [
        [1, full],
        [1, full],
        [2, fixedOne],
        [3, full],
        [3, full],
      ] as const)
        await ingest(sink, scan(n, xml));
      return snapshot(url);
    } finally {
      await sink.close();
    }
  });
  assert.deepEqual(replayed, live);
});

test('a complete scan resolves only its own asset and scanner (case-insensitive)', async () => {
  await withDatabase(async (url) => {
    const sink = openSink(url);
    try {
      await sink.migrate();
      await ingest(sink, scan(1, full));
      // a complete nuclei scan of the same asset that finds nothing must not resolve nmap's findings
      const nothing = await sink.completeScan({
        assetKey: 'asset-1',
        scanner: 'nuclei',
        scanId: 'n-1',
        finishedAt: NOW + 2 * HOUR,
        seenFingerprints: [],
      });
      assert.deepEqual(nothing.resolved, []);
      // nor does a complete nmap scan of another asset
      const other = await sink.completeScan({
        assetKey: 'asset-2',
        scanner: 'nmap',
        scanId: 'o-1',
        finishedAt: NOW + 2 * HOUR,
        seenFingerprints: [],
      });
      assert.deepEqual(other.resolved, []);
      // the scanner name is case-insensitive; an empty complete rescan resolves all eight
      const empty = await sink.completeScan({
        assetKey: 'asset-1',
        scanner: 'NMAP',
        scanId: 'e-1',
        finishedAt: NOW + 2 * HOUR,
        seenFingerprints: [],
      });
      assert.equal(empty.resolved.length, 8);
    } finally {
      await sink.close();
    }
  });
});

test('two sink processes migrating at once apply each migration exactly once', async () => {
  await withDatabase(async (url) => {
    const a = openSink(url);
    const b = openSink(url);
    try {
      const [ra, rb] = await Promise.all([a.migrate(), b.migrate()]);
      assert.deepEqual([...ra, ...rb].sort(), [
        '001_assets_and_findings.sql',
        '002_findings_by_scan.sql',
        '003_findings_last_change.sql',
        '004_scan_parts.sql',
        '005_scan_parts_coverage.sql',
      ]);
      assert.deepEqual(await a.migrate(), []);
    } finally {
      await a.close();
      await b.close();
    }
  });
});
