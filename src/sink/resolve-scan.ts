// Resolution by count (findings_resolver): a complete scan's summary says how many distinct findings it reported,
// not which ones (a list could exceed a Kafka message). Its findings travel on other partitions, so resolving is
// safe only once the sink holds all of them, each recorded with this scan's id; until then the caller retries.
// A split scan (parts > 1) has one summary per part: each is recorded, and the one that completes the set resolves
// once the sink holds the parts' findings. Its count is the sum of the parts' counts, so a fingerprint reported by
// two parts (stored once) keeps the scan waiting until its retries end: it then resolves nothing, never too much.
// What it resolves is bounded by the scan's coverage (coverage.ts); a split scan's is its parts' together.
import type pg from 'pg';
import type { ScanCoverage } from '../schemas/types.gen.ts';
import { unionCoverage } from './coverage.ts';
import { scannerKey } from './finding-rows.ts';
import { resolveUnseen } from './resolve-unseen.ts';
import {
  COUNT_SCAN_FINDINGS,
  LATER_SCAN_RECORDED,
  PARTS_RECORDED,
  RECORD_PART,
  RECORD_SCAN,
  RESOLVED_BY_SCAN,
  SCAN_RECORDED,
} from './sql.ts';

export interface ScanSummary {
  /** scanAssetKey(raw). */
  assetKey: string;
  /** The findings' scanner name (case-insensitive). */
  scanner: string;
  scanId: string;
  /** raw.finishedAt (ms): findings of the asset and scanner last seen before it, and not this scan's, resolve. */
  finishedAt: number;
  /** Distinct findings the scan (or this part of it) reported. */
  findingCount: number;
  /** A split scan's part (0-based) and number of parts; default 0 of 1. */
  part?: number;
  parts?: number;
  /** What the scan (or this part) looked at; null or absent: the asset and scanner whole (coverage.ts). */
  coverage?: ScanCoverage | null;
}

export type ScanResolution =
  /** Some of the scan's findings are not stored yet (or a later scan has seen them first): try again later. */
  | { readonly state: 'waiting'; readonly held: number; readonly expected: number }
  /** A part of a split scan, recorded; the part whose summary completes the set resolves. */
  | { readonly state: 'partial'; readonly recorded: number; readonly parts: number }
  | { readonly state: 'resolved'; readonly resolved: string[] }
  /**
   * Recorded before (a redelivery or a replay): nothing changes; `resolved` lists what this scan resolved and is
   * still resolved by it, so that the changes are reported again (their publish may have failed after the commit).
   */
  | { readonly state: 'already'; readonly resolved: string[] }
  /** A later complete scan of the same asset and scanner is recorded: it has resolved everything this one would. */
  | { readonly state: 'superseded' };

export async function resolveScan(client: pg.PoolClient, scan: ScanSummary): Promise<ScanResolution> {
  const scanner = scannerKey(scan.scanner);
  const key = [scan.scanId, scan.assetKey, scanner];
  if ((await client.query(SCAN_RECORDED, key)).rowCount) {
    const resolved = (await client.query<{ fingerprint: string }>(RESOLVED_BY_SCAN, key)).rows;
    return { state: 'already', resolved: resolved.map((r) => r.fingerprint) };
  }
  // a split scan's count is the sum of its parts', known once every part's summary is recorded
  let expected = scan.findingCount;
  let coverage = scan.coverage ?? null;
  const record = (resolved: number) => client.query(RECORD_SCAN, [...key, scan.finishedAt, expected, resolved]);
  const parts = scan.parts ?? 1;
  if (parts > 1) {
    await client.query(RECORD_PART, [...key, scan.part ?? 0, parts, scan.findingCount, json(coverage)]);
    const sums = (
      await client.query<{ parts: number; findings: number; coverages: (ScanCoverage | null)[] }>(PARTS_RECORDED, [
        ...key,
        parts,
      ])
    ).rows[0];
    if (!sums || sums.parts < parts) return { state: 'partial', recorded: sums?.parts ?? 0, parts };
    expected = sums.findings;
    coverage = unionCoverage(sums.coverages);
  }
  if ((await client.query(LATER_SCAN_RECORDED, [scan.assetKey, scanner, scan.finishedAt])).rowCount) {
    await record(0);
    return { state: 'superseded' };
  }
  const held = (await client.query<{ held: number }>(COUNT_SCAN_FINDINGS, key)).rows[0]?.held ?? 0;
  if (held < expected) return { state: 'waiting', held, expected };
  // every finding of this scan has last_seen >= finishedAt, so "last seen before it" spares them without a list
  const resolved = await resolveUnseen(client, {
    assetKey: scan.assetKey,
    scanner,
    scanId: scan.scanId,
    finishedAt: scan.finishedAt,
    spare: [],
    coverage,
  });
  await record(resolved.length);
  return { state: 'resolved', resolved };
}

/** SQL NULL (not JSON null) for no coverage, so the column says "none stated". */
function json(coverage: ScanCoverage | null): string | null {
  return coverage === null ? null : JSON.stringify(coverage);
}
