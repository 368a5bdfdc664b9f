// host_scan's ping timing per request, one per process: every copy's answers teach it (app/follow-ping-timings.ts
// feeds it with other copies' answers on Kafka). Apart from host-scan-deps.ts so that making a wiring loads no
// scanner.
import type { Config } from '../config/config.ts';
import { requestTimings, type RequestTimings } from '../scanners/tcp/request-timings.ts';

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
