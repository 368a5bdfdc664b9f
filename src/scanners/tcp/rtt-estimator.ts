// Adaptive connect timeout in the style of TCP's RTO (RFC 6298) and nmap's timing: smoothed RTT plus four
// deviations, clamped. Loopback answers in microseconds, so the timeout shrinks fast; a slow link grows it.

export interface RttEstimator {
  observe(rttMs: number): void;
  timeoutMs(): number;
}

export function rttEstimator(options: { initialMs: number; minMs: number; maxMs: number }): RttEstimator {
  let srtt: number | undefined;
  let rttvar = 0;
  return {
    observe(rttMs) {
      if (srtt === undefined) {
        srtt = rttMs;
        rttvar = rttMs / 2;
      } else {
        rttvar = 0.75 * rttvar + 0.25 * Math.abs(srtt - rttMs);
        srtt = 0.875 * srtt + 0.125 * rttMs;
      }
    },
    timeoutMs() {
      if (srtt === undefined) return options.initialMs;
      return Math.min(options.maxMs, Math.max(options.minMs, Math.ceil(srtt + 4 * rttvar)));
    },
  };
}
