// host_scan's dependencies: the built-in host scan under this copy's connection budget and ping timing, both made
// once per wiring (one stage copy) and shared by every host it scans.
import { builtinHostScan } from '../engines/builtin-host-scan.ts';
import { hostScanLimits } from '../engines/host-scan-limits.ts';
import type { HostScanDeps } from '../processors/host-scan.ts';
import { rttEstimator } from '../scanners/tcp/rtt-estimator.ts';
import type { Wiring } from './wiring.ts';

// A copy's first pings wait this long (within the configured bounds) until live hosts' answers say better.
const FIRST_PING_TIMEOUT_MS = 1_000;

export function hostScanDeps(w: Wiring): HostScanDeps {
  const c = w.config.hostScan;
  const timing = rttEstimator({
    initialMs: Math.min(c.pingMaxTimeoutMs, Math.max(c.pingMinTimeoutMs, FIRST_PING_TIMEOUT_MS)),
    minMs: c.pingMinTimeoutMs,
    maxMs: c.pingMaxTimeoutMs,
  });
  return {
    scan: builtinHostScan({
      context: w.context,
      dns: w.dns,
      limits: hostScanLimits({ connectionsInFlight: c.connections, connectionsPerSecond: c.rate }, timing),
      pingPorts: c.pingPorts,
      hostTimeoutMs: c.timeoutMs,
    }),
    now: w.now,
  };
}
