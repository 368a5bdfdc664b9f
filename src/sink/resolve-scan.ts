// Resolution by count (findings_resolver): a complete scan's summary says how many distinct findings it reported,
// not which ones (a list could exceed a Kafka message). Its findings travel on other partitions, so resolving is
// safe only once the sink holds all of them, each recorded with this scan's id; until then the caller retries.
import type pg from 'pg';
import { scannerKey } from './finding-rows.ts';
import {
  COUNT_SCAN_FINDINGS,
  LATER_SCAN_RECORDED,
  RECORD_SCAN,
  RESOLVE_UNSEEN,
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
  /** Distinct findings the scan reported. */
  findingCount: number;
}

export type ScanResolution =
  /** Some of the scan's findings are not stored yet (or a later scan has seen them first): try again later. */
  | { readonly state: 'waiting'; readonly held: number }
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
  const record = (resolved: number) =>
    client.query(RECORD_SCAN, [...key.slice(0, 3), scan.finishedAt, scan.findingCount, resolved]);
  if ((await client.query(LATER_SCAN_RECORDED, [scan.assetKey, scanner, scan.finishedAt])).rowCount) {
    await record(0);
    return { state: 'superseded' };
  }
  const held = (await client.query<{ held: number }>(COUNT_SCAN_FINDINGS, key)).rows[0]?.held ?? 0;
  if (held < scan.findingCount) return { state: 'waiting', held };
  // every finding of this scan has last_seen >= finishedAt, so "last seen before it" spares them without a list
  const resolved = (
    await client.query<{ fingerprint: string }>(RESOLVE_UNSEEN, [
      scan.assetKey,
      scanner,
      scan.finishedAt,
      [],
      scan.scanId,
    ])
  ).rows.map((r) => r.fingerprint);
  await record(resolved.length);
  return { state: 'resolved', resolved: resolved.sort() };
}
