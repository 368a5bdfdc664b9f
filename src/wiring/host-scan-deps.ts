// host_scan's dependencies: the built-in host scan under this copy's connection budget, made once per wiring (one
// stage copy) and shared by every host it scans, and the ping timing per request that every copy learns together
// (the wiring's pingTimings, fed by app/follow-ping-timings.ts when the stage runs on Kafka).
import { builtinHostScan } from '../engines/builtin-host-scan.ts';
import { hostScanLimits } from '../engines/host-scan-limits.ts';
import type { HostScanDeps } from '../processors/host-scan.ts';
import type { Wiring } from './wiring.ts';

export async function hostScanDeps(w: Wiring): Promise<HostScanDeps> {
  const c = w.config.hostScan;
  return {
    scan: builtinHostScan({
      context: await w.contexts(),
      dns: w.dns,
      limits: hostScanLimits({ connectionsInFlight: c.connections, connectionsPerSecond: c.rate }),
      timings: w.pingTimings,
      pingPorts: c.pingPorts,
      hostTimeoutMs: c.timeoutMs,
    }),
    now: w.now,
  };
}
