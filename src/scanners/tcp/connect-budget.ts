// How many TCP connections one process may have open at once, and how many it may open per second (a token
// bucket): the politeness caps of a host_scan copy. A request's own, lower limits are a child budget: a slot is
// taken from the child and its parent together. Callbacks rather than promises: the connect scan's pump asks for
// slots synchronously, thousands of times a second.

export interface ConnectBudget {
  /** Takes one slot if one is free and the rate allows; false otherwise (then call whenAvailable). */
  tryTake(): boolean;
  /** Returns a slot (its socket is closed). */
  give(): void;
  /** Calls `fn` once, when a slot may have become available. */
  whenAvailable(fn: () => void): void;
  /** Slots in use. */
  readonly inUse: number;
}

export interface BudgetLimits {
  /** Connections open at once. */
  readonly inFlight: number;
  /** New connections per second; 0: no rate limit. */
  readonly perSecond: number;
}

export function connectBudget(
  limits: BudgetLimits,
  o: { parent?: ConnectBudget; now?: () => number } = {},
): ConnectBudget {
  const now = o.now ?? (() => performance.now());
  // A burst of at most 50 ms worth of connections: a rate of 1,000/s opens 50 at once, not 1,000.
  const burst = limits.perSecond > 0 ? Math.max(1, Math.ceil(limits.perSecond / 20)) : Infinity;
  let tokens = burst;
  let refilledAt = now();
  let inUse = 0;
  let waiters: (() => void)[] = [];
  let timer: NodeJS.Timeout | undefined;

  const refill = () => {
    if (limits.perSecond <= 0) return;
    const t = now();
    tokens = Math.min(burst, tokens + ((t - refilledAt) * limits.perSecond) / 1000);
    refilledAt = t;
  };
  const wake = () => {
    timer = undefined;
    const list = waiters;
    waiters = [];
    for (const fn of list) fn();
  };
  const budget: ConnectBudget = {
    tryTake() {
      if (inUse >= limits.inFlight) return false;
      refill();
      if (tokens < 1) return false;
      if (o.parent && !o.parent.tryTake()) return false;
      tokens -= 1;
      inUse += 1;
      return true;
    },
    give() {
      inUse -= 1;
      o.parent?.give();
      if (waiters.length > 0 && !timer) queueMicrotask(wake);
    },
    whenAvailable(fn) {
      waiters.push(fn);
      if (o.parent && inUse < limits.inFlight && (limits.perSecond <= 0 || tokens >= 1)) {
        // The parent is what holds us back: wait on it.
        o.parent.whenAvailable(wake);
        return;
      }
      if (limits.perSecond > 0 && tokens < 1 && !timer) {
        const wait = Math.max(1, Math.ceil(((1 - tokens) * 1000) / limits.perSecond));
        timer = setTimeout(wake, wait);
      }
    },
    get inUse() {
      return inUse;
    },
  };
  return budget;
}
