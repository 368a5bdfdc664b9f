// Ping timing per discovery request, shared by every host_scan copy. A silent address costs the ping timeout, and
// that timeout is learnt from the answers of live hosts (nmap's group timing: initial, min and max RTT timeouts,
// every answer, SYN-ACK or RST, a sample). Learnt per copy, a copy whose partitions hold no live host would keep
// the first timeout (1 s, then 2 s) for every host while another learnt 100 ms, so adding a copy could make a range
// slower. Here each request has one estimator per copy, fed by this copy's answers at once and by every other copy's
// answers as their HOST_DONE records arrive (app/follow-ping-timings.ts), so all copies converge on the same timeout.
// Per request rather than per copy: two requests may aim at networks with different round trips.
import { rttEstimator, type RttEstimator } from './rtt-estimator.ts';

export interface RequestTimings {
  /** The timing one host of a request pings with: the request's shared timeout; its answer teaches it. */
  forHost(requestId: string, index: number): RttEstimator;
  /** An answer reported in a HOST_DONE record (any copy's); this copy's own answers, already learnt, are skipped. */
  learn(requestId: string, index: number, rttMs: number): void;
}

export interface RequestTimingsOptions {
  readonly initialMs: number;
  readonly minMs: number;
  readonly maxMs: number;
  /** Requests remembered at once; the least recently used is forgotten first. */
  readonly maxRequests?: number;
  /** This copy's answers per request awaiting their own HOST_DONE; past it the oldest may be counted twice. */
  readonly maxOwnPending?: number;
}

interface RequestTiming {
  readonly rtt: RttEstimator;
  /** Indexes of hosts this copy learnt from, until their HOST_DONE comes back (then not counted again). */
  readonly own: Set<number>;
}

export function requestTimings(o: RequestTimingsOptions): RequestTimings {
  const maxRequests = o.maxRequests ?? 1_024;
  const maxOwn = o.maxOwnPending ?? 4_096;
  const requests = new Map<string, RequestTiming>();

  function timingOf(requestId: string): RequestTiming {
    let t = requests.get(requestId);
    if (t)
      requests.delete(requestId); // re-inserted below: Map order is the recency order
    else t = { rtt: rttEstimator(o), own: new Set() };
    requests.set(requestId, t);
    if (requests.size > maxRequests) requests.delete(requests.keys().next().value as string);
    return t;
  }

  return {
    forHost(requestId, index) {
      const t = timingOf(requestId);
      return {
        timeoutMs: () => t.rtt.timeoutMs(),
        observe(rttMs) {
          t.rtt.observe(rttMs);
          t.own.add(index);
          if (t.own.size > maxOwn) t.own.delete(t.own.values().next().value as number);
        },
      };
    },
    learn(requestId, index, rttMs) {
      const t = timingOf(requestId);
      if (t.own.delete(index)) return;
      t.rtt.observe(rttMs);
    },
  };
}
