// findings_resolver: scan-results → PostgreSQL. For a complete scan, once the sink holds every finding the scan
// reported (counted by the scan id recorded per finding), resolves the findings of the same asset and scanner that
// were last seen before the scan finished and lie inside its coverage (the summary's: src/sink/coverage.ts). Until then the scan's findings may still be in flight on other partitions
// of normalized-findings: the summary waits on a durable timer of its asset's key (keyed stage), checked again
// after 200 ms, doubling to 5 s, for up to RESOLVE_WAIT_MS; then it is dead-lettered (SCAN_FINDINGS_MISSING). A
// waiting scan holds no concurrency slot and no offset: the asset's other summaries, and other assets, go on.
// A summary recorded before (redelivered after the commit, or replayed) reports the same changes again, with the
// same ids.
import { AsmvsError } from '../errors.ts';
import type { Context, Processor } from '../processor.ts';
import type { ScanResult } from '../schemas/types.gen.ts';
import type { ScanResolution, ScanSummary } from '../sink/index.ts';
import { findingChange } from './finding-change.ts';

export interface FindingsResolverDeps {
  resolveScan(scan: ScanSummary): Promise<ScanResolution>;
  now(): number;
  /** How long a complete scan waits for all its findings to be stored (RESOLVE_WAIT_MS). */
  readonly waitMs: number;
}

export const STAGE = 'findings_resolver';

/** Per asset key: the scans waiting for their findings, by timer id: since when, and how many checks so far. */
type Waiting = Record<string, { readonly since: number; readonly checks: number }>;

const FIRST_RECHECK_MS = 200;
const MAX_RECHECK_MS = 5_000;

/** A scan part's wait timer (a split scan's parts are summarised, and wait, each on its own). */
export function waitTimerId(scan: Pick<ScanResult, 'scanId' | 'part'>): string {
  return `wait:${scan.scanId}:${scan.part}`;
}

type Ctx = Context<'asset-changes', FindingsResolverDeps, 'scan-results'>;

export const findingsResolver: Processor<'scan-results', 'asset-changes', FindingsResolverDeps, typeof STAGE> = {
  name: STAGE,
  input: 'scan-results',
  outputs: ['asset-changes'],
  keyed: true,
  async handle(scan, ctx) {
    if (!scan.complete) return;
    const outcome = await ctx.deps.resolveScan(scan);
    const id = waitTimerId(scan);
    if (outcome.state === 'waiting') return wait(scan, id, outcome, ctx);
    stopWaiting(id, ctx);
    // 'already': a redelivery (or replay) reports what the scan resolved once more, in case the first publish failed
    if (outcome.state !== 'resolved' && outcome.state !== 'already') {
      ctx.log.debug({ scanId: scan.scanId, state: outcome.state }, 'scan summary needs no resolution');
      return;
    }
    const now = ctx.deps.now();
    for (const fingerprint of outcome.resolved) {
      ctx.emit(
        'asset-changes',
        scan.assetKey,
        findingChange(STAGE, {
          assetId: scan.assetKey,
          kind: 'FINDING_RESOLVED',
          fingerprint,
          observedAt: scan.finishedAt,
          requestId: scan.requestId,
          now,
        }),
      );
    }
  },
};

/** The waits of this key whose timer is still pending (a dead-lettered firing leaves its entry behind). */
function waitingOf(ctx: Ctx): Waiting {
  const state = (ctx.keyed.state as Waiting | undefined) ?? {};
  const pending = new Set(ctx.keyed.timers().map((t) => t.id));
  return Object.fromEntries(Object.entries(state).filter(([id]) => pending.has(id) || id === ctx.meta.timer?.id));
}

function wait(scan: ScanResult, id: string, outcome: { held: number; expected: number }, ctx: Ctx): void {
  const now = Date.now(); // waiting is on the wall clock; deps.now() stamps the changes
  const waiting = waitingOf(ctx);
  const since = waiting[id]?.since ?? now;
  if (now - since >= ctx.deps.waitMs) {
    throw new AsmvsError(
      'SCAN_FINDINGS_MISSING',
      `scan ${scan.scanId}: ${outcome.held} of its ${outcome.expected} findings were stored after ${now - since} ms of waiting (RESOLVE_WAIT_MS ${ctx.deps.waitMs}); nothing was resolved`,
      { details: { scanId: scan.scanId, held: outcome.held, findingCount: outcome.expected } },
    );
  }
  const checks = (waiting[id]?.checks ?? 0) + 1;
  ctx.keyed.schedule(id, now + Math.min(MAX_RECHECK_MS, FIRST_RECHECK_MS * 2 ** (checks - 1)), scan);
  ctx.keyed.setState({ ...waiting, [id]: { since, checks } } satisfies Waiting);
  if (checks === 1)
    ctx.log.debug(
      { scanId: scan.scanId, held: outcome.held, expected: outcome.expected },
      'scan waits for its findings',
    );
}

function stopWaiting(id: string, ctx: Ctx): void {
  if (ctx.keyed.state === undefined) return; // nothing waits on this asset: no keyed-state write
  const { [id]: _done, ...rest } = waitingOf(ctx);
  ctx.keyed.cancel(id);
  ctx.keyed.setState(Object.keys(rest).length > 0 ? rest : undefined);
}
