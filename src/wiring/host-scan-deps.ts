// host_scan's dependencies: the built-in host scan under this copy's connection budget, made once per wiring (one
// stage copy) and shared by every host it scans, and the ping timing per request that every copy learns together
// (the wiring's pingTimings, fed by app/follow-ping-timings.ts when the stage runs on Kafka).
import type { Config } from '../config/config.ts';
import { builtinHostScan } from '../engines/builtin-host-scan.ts';
import { hostScanLimits } from '../engines/host-scan-limits.ts';
import type { HostScanDeps } from '../processors/host-scan.ts';
import { requestTimings, type RequestTimings } from '../scanners/tcp/request-timings.ts';
import type { Wiring } from './wiring.ts';

// A request's first pings wait this long (within the configured bounds) until live hosts' answers say better:
// nmap's initial RTT timeout.
const FIRST_PING_TIMEOUT_MS = 1_000;

export function hostPingTimings(config: Config): RequestTimings {
  const c = config.hostScan;
  return requestTimings({
    initialMs: Math.min(c.pingMaxTimeoutMs, Math.max(c.pingMinTimeoutMs, FIRST_PING_TIMEOUT_MS)),
    minMs: c.pingMinTimeoutMs,
    maxMs: c.pingMaxTimeoutMs,
  });
}

export function hostScanDeps(w: Wiring): HostScanDeps {
  const c = w.config.hostScan;
  return {
    scan: builtinHostScan({
      context: w.context,
      dns: w.dns,
      limits: hostScanLimits({ connectionsInFlight: c.connections, connectionsPerSecond: c.rate }),
      timings: w.pingTimings,
      pingPorts: c.pingPorts,
      hostTimeoutMs: c.timeoutMs,
    }),
    now: w.now,
  };
}
