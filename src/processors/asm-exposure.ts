// asm_exposure: assets → scan-requests, asset-changes (+ job-status). Judges how exposed each asset is and lets the
// scan policy decide what gets scanned; with the platform API configured, records the exposure on the platform's
// asset. Keyed by asset id: it keeps each asset's last snapshot to report what changed since the asset was last
// seen, and up to three timers per asset — `rescan`, `cert-expiry` and `gone` (docs/changes.md).
import type { Config } from '../config/config.ts';
import type { Context, Processor, TimerFiring } from '../processor.ts';
import type { Asset, Exposure, ScanRequest } from '../schemas/types.gen.ts';
import { derivedEventId, stableId } from '../ids.ts';
import { describeAsset, isoDate, serviceSubject } from '../monitoring/asset-describe.ts';
import { pendingCertWarnings, withReported } from '../monitoring/asset-certs.ts';
import { goneAt, monitorEveryMs } from '../monitoring/asset-gone.ts';
import { readSnapshot, snapshotOf, type AssetSnapshot } from '../monitoring/asset-snapshot.ts';
import type { Change } from '../monitoring/change-diff.ts';
import { diffSnapshots } from '../monitoring/change-diff.ts';
import { assetChangeEvent } from '../monitoring/change-event.ts';
import { missedRounds, nextDue } from '../monitoring/next-due.ts';
import { rescanInterval } from '../monitoring/rescan-policy.ts';
import { MONITOR_LABELS } from '../monitoring/monitor-labels.ts';
import { jobStatus } from './job-status.ts';
import { assetJudged, stageFailed } from './job-events.ts';
import { producerOf } from '../version.ts';

export interface ScanDecision {
  readonly scan: boolean;
  readonly scanners: readonly string[];
  readonly reason: string;
}

export interface ExposureDeps {
  analyze(asset: Asset): Exposure;
  decide(asset: Asset, exposure: Exposure): ScanDecision;
  /** Optional: PATCH /api/v1/assets/{id} with the exposure (only when API_BASE_URL is set). */
  recordExposure?(asset: Asset, exposure: Exposure, signal: AbortSignal): Promise<void>;
  readonly now: () => number;
  /** Rescan policy, certificate warning window, when a monitored asset counts as gone. */
  readonly monitoring: Config['monitoring'];
}

export const STAGE = 'asm_exposure';

/** The timers each asset may have; every one is delivered with the asset as last seen. */
export const TIMERS = { rescan: 'rescan', certExpiry: 'cert-expiry', gone: 'gone' } as const;

type Ctx = Context<'scan-requests' | 'job-status' | 'asset-changes', ExposureDeps, 'assets'>;

export const asmExposure: Processor<
  'assets',
  'scan-requests' | 'job-status' | 'asset-changes',
  ExposureDeps,
  typeof STAGE
> = {
  name: STAGE,
  input: 'assets',
  outputs: ['scan-requests', 'job-status', 'asset-changes'],
  keyed: true,
  async handle(asset, ctx) {
    if (ctx.meta.timer) return fired(ctx.meta.timer, asset, ctx);
    const exposure = ctx.deps.analyze(asset);
    if (ctx.deps.recordExposure) await ctx.deps.recordExposure(asset, exposure, ctx.signal);
    const decision = ctx.deps.decide(asset, exposure);
    const requested = asset.scanAfterDiscovery && decision.scan;
    if (requested) {
      const eventId = derivedEventId(asset.requestId, asset.assetId, 'scan-request');
      ctx.emit('scan-requests', asset.assetId, scanRequest(asset, exposure, decision, asset.requestId, eventId, ctx));
    }
    ctx.emit(
      'job-status',
      asset.requestId,
      assetJudged(
        asset.requestId,
        {
          assetId: asset.assetId,
          scanRequested: requested,
          message: `${asset.value}: ${exposure.level.toLowerCase()}, score ${exposure.score}${requested ? ', scan requested' : `, not scanned (${decision.reason})`}`,
        },
        ctx.deps.now(),
      ),
    );
    observe(asset, exposure, requested, ctx);
  },
  onDeadLetter(asset, error, ctx) {
    if (!asset || ctx.meta.timer) return; // undecodable bytes: no request id; a timer's request already ended
    ctx.emit('job-status', asset.requestId, stageFailed(STAGE, asset.requestId, error, ctx.deps.now(), asset.assetId));
  },
};

/** Change detection and the timers, after each observation of the asset. */
function observe(asset: Asset, exposure: Exposure, requested: boolean, ctx: Ctx): void {
  const previous = readSnapshot(ctx.keyed.state);
  if (previous && asset.observedAt < previous.observedAt) {
    // An older observation (a replay of the assets topic): the state already knows better.
    ctx.log.info(
      { observedAt: asset.observedAt, lastObservedAt: previous.observedAt },
      'older observation: no changes',
    );
    return;
  }
  const everyMs = monitorEveryMs(asset.labels[MONITOR_LABELS.everyMs]);
  const next = snapshotOf(asset, exposure, { expiring: previous?.expiring ?? [], monitorEveryMs: everyMs });
  for (const change of diffSnapshots(previous, next))
    emitChange(asset, change, asset.observedAt, asset.observedAt, ctx);
  ctx.keyed.setState(reportExpiring(next, asset, Math.max(ctx.deps.now(), asset.observedAt), asset.observedAt, ctx));

  // A rescan needs what a scan on observation needs, so this observation has just asked for a scan: the next is a
  // full interval away, on the grid of the observation after now (an old observation does not rescan at once).
  const every = requested ? rescanEvery(exposure, ctx) : undefined;
  if (every === undefined) ctx.keyed.cancel(TIMERS.rescan);
  else ctx.keyed.schedule(TIMERS.rescan, nextDue(asset.observedAt, every, ctx.deps.now()), asset);
  if (everyMs === null) ctx.keyed.cancel(TIMERS.gone);
  else ctx.keyed.schedule(TIMERS.gone, goneAt(asset.observedAt, everyMs, ctx.deps.monitoring.goneAfterRounds), asset);
}

function fired(timer: TimerFiring, asset: Asset, ctx: Ctx): void {
  const snapshot = readSnapshot(ctx.keyed.state);
  if (snapshot?.gone) return; // nothing is due for an asset reported gone; its next sighting starts afresh
  if (timer.id === TIMERS.rescan) return rescan(asset, timer.at, ctx);
  if (!snapshot) return;
  if (timer.id === TIMERS.certExpiry)
    return ctx.keyed.setState(reportExpiring(snapshot, asset, Math.max(ctx.deps.now(), timer.at), timer.at, ctx));
  if (timer.id === TIMERS.gone) return disappeared(snapshot, asset, timer.at, ctx);
  ctx.log.warn({ timer: timer.id }, 'unknown timer ignored');
}

/**
 * Reports CERTIFICATE_EXPIRING for each certificate not yet reported that is inside the warning window at `at`, and
 * schedules `cert-expiry` for the next one to enter it. Returns the snapshot that remembers what was reported.
 */
function reportExpiring(snapshot: AssetSnapshot, asset: Asset, at: number, observedAt: number, ctx: Ctx) {
  const pending = pendingCertWarnings(snapshot, ctx.deps.monitoring.certWarningMs);
  const due = pending.filter((w) => w.warnAt <= at);
  for (const w of due) {
    const change: Change = {
      kind: 'CERTIFICATE_EXPIRING',
      subject: serviceSubject(snapshot.value, w.key),
      before: `sha256:${w.cert}`,
      after: `${w.notAfter <= at ? 'expired' : 'expires'} ${isoDate(w.notAfter)}`,
    };
    emitChange(asset, change, w.cert, observedAt, ctx); // one id per certificate, whenever it is reported
  }
  const later = pending.find((w) => w.warnAt > at);
  if (later) ctx.keyed.schedule(TIMERS.certExpiry, later.warnAt, asset);
  else ctx.keyed.cancel(TIMERS.certExpiry);
  return withReported(snapshot, due);
}

/** A scheduled rescan is due: its scan request, then the next rescan on the grid (missed ones fire once). */
function rescan(asset: Asset, dueAt: number, ctx: Ctx): void {
  const now = ctx.deps.now();
  const exposure = ctx.deps.analyze(asset);
  const decision = ctx.deps.decide(asset, exposure);
  const every = asset.scanAfterDiscovery && decision.scan ? rescanEvery(exposure, ctx) : undefined;
  if (every === undefined) {
    ctx.log.info({ asset: asset.assetId, reason: decision.reason }, 'rescan no longer due under the policies');
    return;
  }
  const requestId = rescanRequestId(asset.assetId, dueAt);
  const eventId = derivedEventId('rescan', asset.assetId, dueAt);
  ctx.emit(
    'scan-requests',
    asset.assetId,
    scanRequest(asset, exposure, decision, requestId, eventId, ctx, 'scheduled'),
  );
  ctx.emit(
    'job-status',
    requestId,
    jobStatus(STAGE, requestId, 'ACCEPTED', { message: `scheduled rescan of ${asset.value}` }, now),
  );
  const next = nextDue(dueAt, every, now);
  ctx.keyed.schedule(TIMERS.rescan, next, asset);
  const missed = missedRounds(dueAt, every, now);
  ctx.log.info({ asset: asset.assetId, requestId, dueAt, missed, nextAt: next }, 'scheduled rescan requested');
}

/** The rescan's request id: the same asset and due time always give the same id. */
export function rescanRequestId(assetId: string, dueAt: number): string {
  return `rescan-${stableId('rescan', assetId, dueAt).slice(0, 32)}`;
}

function disappeared(snapshot: AssetSnapshot, asset: Asset, dueAt: number, ctx: Ctx): void {
  if (snapshot.monitorEveryMs === null) return; // no longer monitored (the last sighting cancelled it)
  // The deadline as the last sighting and today's settings give it: a firing before it (a stale copy, or
  // ASSET_GONE_AFTER_ROUNDS raised since) waits for it instead.
  const deadline = goneAt(snapshot.observedAt, snapshot.monitorEveryMs, ctx.deps.monitoring.goneAfterRounds);
  if (deadline > dueAt) return ctx.keyed.schedule(TIMERS.gone, deadline, asset);
  const change: Change = {
    kind: 'ASSET_DISAPPEARED',
    subject: snapshot.value,
    before: describeAsset(snapshot),
    after: null,
  };
  emitChange(asset, change, dueAt, dueAt, ctx);
  ctx.keyed.setState({ ...snapshot, gone: true } satisfies AssetSnapshot);
  ctx.keyed.cancel(TIMERS.rescan);
  ctx.keyed.cancel(TIMERS.certExpiry);
}

function rescanEvery(exposure: Exposure, ctx: Ctx): number | undefined {
  return rescanInterval(ctx.deps.monitoring.rescanPolicy, exposure);
}

function emitChange(asset: Asset, change: Change, observation: string | number, observedAt: number, ctx: Ctx): void {
  ctx.emit(
    'asset-changes',
    asset.assetId,
    assetChangeEvent(STAGE, {
      assetId: asset.assetId,
      requestId: asset.requestId,
      change,
      observation,
      observedAt,
      now: ctx.deps.now(),
    }),
  );
}

function scanRequest(
  asset: Asset,
  exposure: Exposure,
  decision: ScanDecision,
  requestId: string,
  eventId: string,
  ctx: Ctx,
  reason: 'policy' | 'scheduled' = 'policy',
): ScanRequest {
  return {
    eventId,
    requestId,
    producedAt: ctx.deps.now(),
    producer: producerOf(STAGE),
    assetId: asset.assetId,
    target: asset.addresses[0] ?? asset.value,
    ports: asset.services.map((s) => s.port),
    scanners: [...decision.scanners],
    profile: 'default',
    engine: null,
    reason,
    exposure,
    scope: asset.scope,
    deadlineMs: null,
    // An address reached through a name: the name's domain rules still admit the scan (reverse names never do).
    hostname: asset.kind === 'IP' ? asset.resolvedFrom : null,
    // Just identified by discovery: the scan uses them instead of identifying every port again. A scheduled
    // rescan identifies afresh (what runs on a port changes between rounds).
    services: reason === 'policy' ? asset.services : [],
  };
}
