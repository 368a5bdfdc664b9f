// The one resolution step both completeScan and resolveScan end in: a complete scan of an asset and scanner at
// `finishedAt` resolves the findings it did not see, last seen before it, that lie inside its coverage.
import type pg from 'pg';
import type { ScanCoverage } from '../schemas/types.gen.ts';
import { insideCoverage } from './coverage.ts';
import { RESOLVE_UNSEEN, UNSEEN_CANDIDATES } from './sql.ts';

export interface UnseenScope {
  readonly assetKey: string;
  /** scannerKey() of the scan's scanner. */
  readonly scanner: string;
  readonly scanId: string;
  readonly finishedAt: number;
  /** Fingerprints the scan reported: never resolved by it. */
  readonly spare: readonly string[];
  readonly coverage: ScanCoverage | null;
}

interface Candidate {
  fingerprint: string;
  rule_id: string | null;
  ip: string | null;
  hostname: string | null;
  protocol: string | null;
  port: number | null;
}

/** Resolves and returns (sorted) the fingerprints; call inside the caller's transaction. */
export async function resolveUnseen(client: pg.PoolClient, scope: UnseenScope): Promise<string[]> {
  const { assetKey, scanner, finishedAt, scanId } = scope;
  const candidates = (await client.query<Candidate>(UNSEEN_CANDIDATES, [assetKey, scanner, finishedAt, scope.spare]))
    .rows;
  const inside = insideCoverage(scope.coverage);
  const covered = candidates
    .filter((c) => inside({ host: c.ip ?? c.hostname, protocol: c.protocol, port: c.port, ruleId: c.rule_id }))
    .map((c) => c.fingerprint);
  if (covered.length === 0) return [];
  const resolved = await client.query<{ fingerprint: string }>(RESOLVE_UNSEEN, [
    assetKey,
    scanner,
    finishedAt,
    covered,
    scanId,
  ]);
  return resolved.rows.map((r) => r.fingerprint).sort();
}
