// Key-ordered concurrency: each key is an actor with a mailbox. Items with the same key run one at a time in
// arrival order; different keys run in parallel, at most `concurrency` at once (p-limit). A key goes back to the
// end of the limiter's queue after each item, so one busy key cannot starve the others.
import pLimit, { type LimitFunction } from 'p-limit';

export interface MailboxOptions<T> {
  readonly concurrency: number;
  /**
   * Runs one item; must not reject (the runner turns failures into outcomes). It holds a concurrency slot until
   * it resolves; if it resolves with `{ settled }`, the slot is freed but the key waits for `settled` (e.g. the
   * outputs' acknowledgement), so slow acks never cap the work in progress and per-key order still holds.
   */
  readonly run: (item: T) => Promise<{ readonly settled: Promise<void> } | void>;
  /** Asked right before an item starts; false leaves it queued (dispatch stopped by a rebalance or a drain). */
  readonly mayStart?: (item: T) => boolean;
}

export class KeyedMailboxes<T> {
  readonly #limit: LimitFunction;
  readonly #options: MailboxOptions<T>;
  readonly #queues = new Map<string, T[]>();
  readonly #scheduled = new Set<string>();
  #running = 0;
  #queued = 0;
  #idleWaiters: (() => void)[] = [];

  constructor(options: MailboxOptions<T>) {
    if (!Number.isInteger(options.concurrency) || options.concurrency < 1) {
      throw new RangeError(`concurrency must be a positive integer, got ${options.concurrency}`);
    }
    this.#limit = pLimit(options.concurrency);
    this.#options = options;
  }

  /** Items waiting in mailboxes (not started). */
  get queued(): number {
    return this.#queued;
  }

  get running(): number {
    return this.#running;
  }

  push(key: string, item: T): void {
    let queue = this.#queues.get(key);
    if (!queue) {
      queue = [];
      this.#queues.set(key, queue);
    }
    queue.push(item);
    this.#queued += 1;
    if (!this.#scheduled.has(key)) this.#schedule(key);
  }

  /** Re-offers every waiting mailbox to the limiter (after dispatch was stopped and is allowed again). */
  kick(): void {
    for (const key of this.#queues.keys()) if (!this.#scheduled.has(key)) this.#schedule(key);
  }

  /** Removes queued (not started) items that match, e.g. those of a revoked partition; returns them. */
  drop(matches: (item: T) => boolean): T[] {
    const dropped: T[] = [];
    for (const [key, queue] of this.#queues) {
      const kept = queue.filter((item) => !matches(item) || (dropped.push(item), false));
      if (kept.length === 0) this.#queues.delete(key);
      else this.#queues.set(key, kept);
    }
    this.#queued -= dropped.length;
    this.#notifyIdle();
    return dropped;
  }

  /** Resolves when nothing runs and nothing startable waits (items refused by mayStart may remain queued). */
  whenIdle(): Promise<void> {
    if (this.#isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  #isIdle(): boolean {
    return this.#running === 0 && this.#scheduled.size === 0;
  }

  #notifyIdle(): void {
    if (!this.#isIdle() || this.#idleWaiters.length === 0) return;
    const waiters = this.#idleWaiters;
    this.#idleWaiters = [];
    for (const resolve of waiters) resolve();
  }

  #schedule(key: string): void {
    this.#scheduled.add(key);
    void this.#limit(() => this.#step(key)).catch(() => undefined); // run() must not reject; never leak one
  }

  async #step(key: string): Promise<void> {
    const queue = this.#queues.get(key);
    const item = queue?.[0];
    if (!queue || item === undefined || (this.#options.mayStart && !this.#options.mayStart(item))) {
      if (queue && queue.length === 0) this.#queues.delete(key);
      this.#scheduled.delete(key);
      this.#notifyIdle();
      return;
    }
    queue.shift();
    this.#queued -= 1;
    this.#running += 1;
    let settled: Promise<void> | undefined;
    try {
      settled = (await this.#options.run(item))?.settled;
    } catch {
      // run() must not reject; if it does, the item is over and the key moves on.
    }
    if (settled) void settled.catch(() => undefined).finally(() => this.#next(key, queue));
    else this.#next(key, queue);
  }

  #next(key: string, queue: T[]): void {
    this.#running -= 1;
    if (queue.length > 0 && this.#queues.get(key) === queue) {
      void this.#limit(() => this.#step(key)).catch(() => undefined); // run() must not reject; never leak one
    } else {
      if (queue.length === 0 && this.#queues.get(key) === queue) this.#queues.delete(key);
      this.#scheduled.delete(key);
      // A drop() may have replaced the queue while this item ran; offer the new one.
      if (this.#queues.has(key)) this.#schedule(key);
    }
    this.#notifyIdle();
  }
}
