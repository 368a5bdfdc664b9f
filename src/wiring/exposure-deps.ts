// asm_exposure's dependencies: the exposure analysis and scan policy; with the platform API, recording the exposure
// on the platform's asset.
import { decideScan } from '../engines/scan-policy.ts';
import { analyzeExposure } from '../exposure/analyze-exposure.ts';
import type { ExposureDeps } from '../processors/asm-exposure.ts';
import type { Wiring } from './wiring.ts';

export async function exposureDeps(w: Wiring): Promise<ExposureDeps> {
  const platform = await w.platform();
  return {
    analyze: (asset) => analyzeExposure({ addresses: asset.addresses, services: asset.services, now: w.now() }),
    decide: decideScan,
    monitoring: w.config.monitoring,
    ...(platform
      ? {
          recordExposure: (asset, e, signal) =>
            platform.patchAsset(asset.assetId, { exposure: e }, `exposure-${asset.eventId}`, signal),
        }
      : {}),
    now: w.now,
  };
}
