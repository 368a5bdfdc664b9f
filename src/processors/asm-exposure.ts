// asm_exposure: assets → scan-requests (+ job-status). Judges how exposed each asset is and lets the scan policy
// decide what gets scanned; with the platform API configured, records the exposure on the platform's asset.
import type { Config } from '../config/config.ts';
import type { Processor } from '../processor.ts';
import type { Asset, Exposure } from '../schemas/types.gen.ts';
import { derivedEventId } from '../ids.ts';
import { jobStatus, producerOf } from './job-status.ts';

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

export const asmExposure: Processor<'assets', 'scan-requests' | 'job-status', ExposureDeps> = {
  name: STAGE,
  input: 'assets',
  outputs: ['scan-requests', 'job-status'],
  keyed: true,
  async handle(asset, ctx) {
    const exposure = ctx.deps.analyze(asset);
    if (ctx.deps.recordExposure) await ctx.deps.recordExposure(asset, exposure, ctx.signal);
    const decision = ctx.deps.decide(asset, exposure);
    const target = asset.addresses[0] ?? asset.value;
    const requested = asset.scanAfterDiscovery && decision.scan;
    if (requested) {
      ctx.emit('scan-requests', asset.assetId, {
        eventId: derivedEventId(asset.requestId, asset.assetId, 'scan-request'),
        requestId: asset.requestId,
        producedAt: ctx.deps.now(),
        producer: producerOf(STAGE),
        assetId: asset.assetId,
        target,
        ports: asset.services.map((s) => s.port),
        scanners: [...decision.scanners],
        profile: 'default',
        engine: null,
        reason: 'policy',
        exposure,
        scope: asset.scope,
        deadlineMs: null,
      });
    }
    ctx.emit(
      'job-status',
      asset.requestId,
      jobStatus(STAGE, asset.requestId, 'PROGRESS', {
        subject: asset.assetId,
        message: `${asset.value}: ${exposure.level.toLowerCase()}, score ${exposure.score}${requested ? ', scan requested' : `, not scanned (${decision.reason})`}`,
        counts: { scanRequests: requested ? 1 : 0 },
      }),
    );
  },
  onDeadLetter(asset, error, ctx) {
    if (!asset) return; // undecodable bytes: no request id to report to
    ctx.emit(
      'job-status',
      asset.requestId,
      jobStatus(STAGE, asset.requestId, 'FAILED', {
        subject: asset.assetId,
        message: error.message,
        errorCode: error.code,
      }),
    );
  },
};
