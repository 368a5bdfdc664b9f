// vs_scan_trigger's dependencies: admission (scope check, one resolution) and, with the platform API, the platform
// engine's scan creation.
import { admission } from '../engines/admission.ts';
import { platformScanStarter } from '../engines/platform-scan.ts';
import { DEFAULT_SCANNERS } from '../engines/scan-policy.ts';
import type { ScanTriggerDeps } from '../processors/vs-scan-trigger.ts';
import type { Wiring } from './wiring.ts';

export async function scanTriggerDeps(w: Wiring): Promise<ScanTriggerDeps> {
  const platform = await w.platform();
  return {
    defaultEngine: w.config.scanners.engine === 'platform' ? 'PLATFORM' : 'BUILTIN',
    defaultScanners: DEFAULT_SCANNERS,
    deadlineMs: w.config.scanners.deadlineMs,
    admit: admission(await w.contexts()),
    ...(platform ? { startPlatformScan: platformScanStarter(platform) } : {}),
    now: w.now,
  };
}
