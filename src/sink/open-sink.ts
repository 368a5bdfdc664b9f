// The findings sink on PostgreSQL: what findings_sink calls per batch of normalized findings, and once per
// completed scan. Every call is idempotent: a redelivered batch or a replayed topic changes nothing but
// last_seen (only if the observation is newer) and normalizer_version.
import pg from 'pg';
import { AsmvsError } from '../errors.ts';
import type { Finding, ScanCoverage } from '../schemas/types.gen.ts';
import { foldBatch, rowsJson, scannerKey } from './finding-rows.ts';
import { transitions, type UpsertedRow } from './transitions.ts';
import { migrate as runMigrations } from './migrate.ts';
import { toDatabaseError } from './db-errors.ts';
import { resolveScan, type ScanResolution, type ScanSummary } from './resolve-scan.ts';
import { resolveUnseen } from './resolve-unseen.ts';
import { LOCK_EXISTING, RECORD_SCAN, UPSERT_ASSETS, UPSERT_FINDINGS } from './sql.ts';

export interface UpsertResult {
  /** Fingerprints stored for the first time. */
  opened: string[];
  /** Fingerprints that were resolved and came back. */
  reopened: string[];
  /**
   * The changes to report: those this batch made, and those an earlier delivery of the same finding event made
   * (its last transition is still this event's), so that a change whose publish failed after the commit is reported
   * again on the redelivery. Each names the event that caused it; other events of the same fingerprint report nothing.
   */
  changes: FindingTransition[];
  /** Rows written (distinct fingerprints in the batch). */
  written: number;
}

export interface FindingTransition {
  fingerprint: string;
  kind: 'FINDING_OPENED' | 'FINDING_REOPENED';
  /** The finding event that caused it. */
  eventId: string;
  /** Made by an earlier delivery of the same event (a redelivery or a replay), not by this batch. */
  repeated: boolean;
}

export interface CompletedScan {
  /** scanAssetKey(raw) of the scan's raw event(s): the asset the scan was about. */
  assetKey: string;
  /** The raw event's scanner name (case-insensitive). */
  scanner: string;
  scanId: string;
  /** When the scan finished (raw.finishedAt, ms): findings last seen before it and not in seenFingerprints resolve. */
  finishedAt: number;
  /** Every fingerprint the complete scan reported, over all its parts. */
  seenFingerprints: readonly string[];
  /** What the scan looked at (all its parts); null or absent: the asset and scanner whole (coverage.ts). */
  coverage?: ScanCoverage | null;
}

export interface FindingsSink {
  migrate(): Promise<string[]>;
  upsertFindings(findings: readonly Finding[]): Promise<UpsertResult>;
  /** Call only for a scan that ran to the end and whose output was not cut (NormalizeResult.complete). */
  completeScan(scan: CompletedScan): Promise<{ resolved: string[] }>;
  /** findings_resolver: resolves by count once every finding of the complete scan is stored (resolve-scan.ts). */
  resolveScan(scan: ScanSummary): Promise<ScanResolution>;
  close(): Promise<void>;
}

const ignore = (): void => undefined;

export function openSink(databaseUrl: string, options: { maxConnections?: number } = {}): FindingsSink {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: options.maxConnections ?? 4 });
  // an idle client's error (server restart) must not crash the process; the next query reports it
  pool.on('error', () => undefined);

  const inTransaction = async <T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> => {
    let client: pg.PoolClient;
    try {
      client = await pool.connect();
    } catch (error) {
      throw toDatabaseError(error);
    }
    // A checked-out client whose server goes away (a crash, an immediate shutdown) emits 'error', and pg 8 has no
    // listener for it then: the process died. The query in flight, or the next one, rejects with the reason instead.
    client.on('error', ignore);
    let broken: Error | undefined;
    try {
      await client.query('BEGIN');
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      const known = toDatabaseError(error);
      if (known instanceof AsmvsError && known.code === 'DATABASE_UNAVAILABLE') broken = known; // not reused
      throw known;
    } finally {
      client.off('error', ignore);
      client.release(broken);
    }
  };

  return {
    async migrate() {
      try {
        return await runMigrations(pool);
      } catch (error) {
        throw toDatabaseError(error);
      }
    },

    async upsertFindings(findings) {
      const rows = foldBatch(findings);
      if (rows.length === 0) return { opened: [], reopened: [], changes: [], written: 0 };
      return inTransaction(async (client) => {
        const fps = rows.map((r) => r.fingerprint);
        const before = new Map<string, string>();
        for (const r of (await client.query<{ fingerprint: string; status: string }>(LOCK_EXISTING, [fps])).rows)
          before.set(r.fingerprint, r.status);
        const json = rowsJson(rows);
        await client.query(UPSERT_ASSETS, [json]);
        const after = (await client.query<UpsertedRow>(UPSERT_FINDINGS, [json])).rows;
        return transitions(rows, before, after);
      });
    },

    async completeScan(scan) {
      const scanner = scannerKey(scan.scanner);
      return inTransaction(async (client) => {
        const resolved = await resolveUnseen(client, {
          assetKey: scan.assetKey,
          scanner,
          scanId: scan.scanId,
          finishedAt: scan.finishedAt,
          spare: [...scan.seenFingerprints],
          coverage: scan.coverage ?? null,
        });
        await client.query(RECORD_SCAN, [
          scan.scanId,
          scan.assetKey,
          scanner,
          scan.finishedAt,
          scan.seenFingerprints.length,
          resolved.length,
        ]);
        return { resolved };
      });
    },

    async resolveScan(scan) {
      return inTransaction((client) => resolveScan(client, scan));
    },

    async close() {
      await pool.end();
    },
  };
}
