// The politeness caps of one host_scan copy, and a request's own lower ones. The copy's connection budget
// (connections open at once, new connections per second) is shared by every host it scans; a request that asks for
// less gets a child budget and a hosts-in-flight limit of its own, held while any of its hosts is in flight here. A
// request can only lower the operator's caps, never raise them. (Ping timing is per request: request-timings.ts.)
import pLimit, { type LimitFunction } from 'p-limit';
import type { ScanLimits } from '../schemas/types.gen.ts';
import { connectBudget, type ConnectBudget } from '../scanners/tcp/connect-budget.ts';

export interface HostScanCaps {
  readonly connectionsInFlight: number;
  /** 0: no rate limit. */
  readonly connectionsPerSecond: number;
}

export interface HostScanLimits {
  /** Runs one host's work under the request's limits (and always the copy's). */
  forRequest<T>(requestId: string, limits: ScanLimits | null, work: (budget: ConnectBudget) => Promise<T>): Promise<T>;
  readonly budget: ConnectBudget;
}

interface RequestLimits {
  readonly budget: ConnectBudget;
  readonly hosts: LimitFunction | undefined;
  users: number;
}

/** The lower of a cap and a request's value (a request's 0 or negative value is ignored). */
function lower(cap: number, requested: number | null): number {
  return requested !== null && requested > 0 && (cap === 0 || requested < cap) ? requested : cap;
}

export function hostScanLimits(caps: HostScanCaps): HostScanLimits {
  const budget = connectBudget({ inFlight: caps.connectionsInFlight, perSecond: caps.connectionsPerSecond });
  const requests = new Map<string, RequestLimits>();

  function limitsOf(requestId: string, limits: ScanLimits): RequestLimits {
    let own = requests.get(requestId);
    if (!own) {
      const inFlight = lower(caps.connectionsInFlight, limits.connectionsInFlight);
      const perSecond = lower(caps.connectionsPerSecond, limits.connectionsPerSecond);
      own = {
        budget:
          inFlight < caps.connectionsInFlight || perSecond !== caps.connectionsPerSecond
            ? connectBudget({ inFlight, perSecond }, { parent: budget })
            : budget,
        hosts: limits.hostsInFlight !== null && limits.hostsInFlight > 0 ? pLimit(limits.hostsInFlight) : undefined,
        users: 0,
      };
      requests.set(requestId, own);
    }
    return own;
  }

  return {
    budget,
    async forRequest(requestId, limits, work) {
      if (!limits) return work(budget);
      const own = limitsOf(requestId, limits);
      own.users += 1;
      try {
        return await (own.hosts ? own.hosts(() => work(own.budget)) : work(own.budget));
      } finally {
        if (--own.users === 0) requests.delete(requestId);
      }
    },
  };
}
