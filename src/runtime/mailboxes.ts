// Key-ordered concurrency: each key is an actor with a mailbox. Items with the same key run one at a time in
// arrival order; different keys run in parallel, at most `concurrency` at once. A key goes back to the end of the
// ready queue after each item, so one busy key cannot starve the others.
// The limiter is a plain FIFO of ready keys (what p-limit does, without a promise and closures per item): at a
// million events, per-item allocations that live until the item's outputs are acknowledged get promoted by the
// young-generation GC and are what grows the heap.
// Trap: starting an item and finishing one are promise continuations, so with handlers that hold the CPU (a big
// synchronous parse) and a backlog, one item's end starts the next within the same microtask drain, and the event
// loop never reaches I/O: no send is flushed and no heartbeat goes out (kafkajs 2.2.4 heartbeats from its fetch
// loop), until the group expires the copy. So a turn of the event loop that ran longer than TURN_BUDGET_MS stops
// starting items (the next start waits for setImmediate, after I/O), and after such a turn the next turns start one
// item each until a turn is short again: CPU-bound handlers then hold the loop for one handler at a time, not for
// `concurrency` of them back to back.
// Lanes (the Kafka runner's partitions): ready keys wait in their lane, and the lanes take turns, so that a backlog
// of many partitions starts in about the order it was produced across them rather than one partition's share after
// another (a range's host items are spread over the partitions by address: taken a partition at a time, the first
// hosts of a copy were a few partitions' addresses from the whole range). For the turns to see everything one
// fetch delivered (kafkajs hands its batches over one after another in the same turn), pushes start at the end of
// the turn.

export interface MailboxOptions<T> {
  readonly concurrency: number;
  /**
   * Runs one item; must not reject (the runner turns failures into outcomes). It holds a concurrency slot until
   * it resolves; if it resolves with `{ settled }`, the slot is freed but the key waits for `settled` (e.g. the
   * outputs' acknowledgement), so slow acks never cap the work in progress and per-key order still holds; with
   * `orderedSettles`, the key goes on at once and only whenIdle waits for `settled`.
   */
  readonly run: (item: T) => Promise<{ readonly settled: Promise<void> } | void>;
  /** Asked right before an item starts; false leaves it queued (dispatch stopped by a rebalance or a drain). */
  readonly mayStart?: (item: T) => boolean;
  /** Lanes take turns, and a push starts at the end of the turn (default false: one lane, a push starts at once). */
  readonly lanes?: boolean;
  /**
   * The `settled` of a key's items resolve in the order the items ran, by the caller's construction (the Kafka
   * runner: its sends are made in that order and made durable in it, one request at a time, a failed one retried
   * before any later). Then a key need not wait for `settled` to keep its outputs in order: its next item starts as
   * soon as run() resolved, and the item counts as running (whenIdle waits for it) until settled. Without it
   * (default) a key waits, and one busy key is capped at one acknowledgement round trip per item.
   */
  readonly orderedSettles?: boolean;
}

/** The ready keys of one lane, in arrival order. */
interface Lane {
  keys: string[];
  head: number;
  /** In the turns (has ready keys). */
  waiting: boolean;
}

/** How long one turn of the event loop may run items before I/O gets its turn. */
const TURN_BUDGET_MS = 100;

export class KeyedMailboxes<T> {
  readonly #concurrency: number;
  readonly #options: MailboxOptions<T>;
  readonly #queues = new Map<string, T[]>();
  /** Keys waiting for a slot or running (an item started and not settled, or with orderedSettles not resolved). */
  readonly #scheduled = new Set<string>();
  /** A key's lane, while it has a queue. */
  readonly #laneOf = new Map<string, Lane>();
  readonly #lanes = new Map<number, Lane>();
  /** Lanes with ready keys, taken in turn from #turn. */
  #turns: Lane[] = [];
  #turn = 0;
  #pushed = false; // a pump for pushed items waits for the end of this turn
  #slots = 0; // items between start and run() resolving
  #running = 0; // items between start and settled
  #queued = 0;
  #idleWaiters: (() => void)[] = [];
  /** When the current event-loop turn began starting items (undefined: none started in this turn yet). */
  #turnStarted: number | undefined;
  /** The last turn overran the budget: one start per turn. */
  #slow = false;
  #yielded = false; // a pump waits for the end of this turn

  constructor(options: MailboxOptions<T>) {
    if (!Number.isInteger(options.concurrency) || options.concurrency < 1) {
      throw new RangeError(`concurrency must be a positive integer, got ${options.concurrency}`);
    }
    this.#concurrency = options.concurrency;
    this.#options = options;
  }

  /** Items waiting in mailboxes (not started). */
  get queued(): number {
    return this.#queued;
  }

  get running(): number {
    return this.#running;
  }

  /** Queues an item behind its key's; `lane` (with the `lanes` option) is the key's lane, the same for every push. */
  push(key: string, item: T, lane = 0): void {
    let queue = this.#queues.get(key);
    if (!queue) {
      queue = [];
      this.#queues.set(key, queue);
      this.#laneOf.set(key, this.#lane(lane));
    }
    queue.push(item);
    this.#queued += 1;
    if (this.#scheduled.has(key)) return;
    if (!this.#options.lanes) return this.#schedule(key);
    this.#scheduled.add(key);
    this.#ready(key);
    if (this.#pushed) return;
    this.#pushed = true;
    setImmediate(() => {
      this.#pushed = false;
      this.#pump();
    });
  }

  /** Re-offers every waiting mailbox (after dispatch was stopped and is allowed again). */
  kick(): void {
    for (const key of this.#queues.keys()) if (!this.#scheduled.has(key)) this.#schedule(key);
  }

  /** Removes queued (not started) items that match, e.g. those of a revoked partition; returns them. */
  drop(matches: (item: T) => boolean): T[] {
    const dropped: T[] = [];
    for (const [key, queue] of this.#queues) {
      const kept = queue.filter((item) => !matches(item) || (dropped.push(item), false));
      if (kept.length > 0) this.#queues.set(key, kept);
      else this.#forget(key);
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
    this.#ready(key);
    this.#pump();
  }

  #lane(id: number): Lane {
    let lane = this.#lanes.get(id);
    if (!lane) this.#lanes.set(id, (lane = { keys: [], head: 0, waiting: false }));
    return lane;
  }

  #forget(key: string): void {
    this.#queues.delete(key);
    this.#laneOf.delete(key);
  }

  /** The key is ready: at the end of its lane, and the lane in the turns. */
  #ready(key: string): void {
    const lane = this.#laneOf.get(key) ?? this.#lane(0);
    lane.keys.push(key);
    if (lane.waiting) return;
    lane.waiting = true;
    this.#turns.push(lane);
  }

  /** The next ready key: the head of the lane whose turn it is. */
  #nextReady(): string | undefined {
    if (this.#turns.length === 0) return undefined;
    if (this.#turn >= this.#turns.length) this.#turn = 0;
    const lane = this.#turns[this.#turn] as Lane;
    const key = lane.keys[lane.head] as string;
    lane.head += 1;
    if (lane.head === lane.keys.length) {
      lane.keys.length = 0;
      lane.head = 0;
      lane.waiting = false;
      this.#turns.splice(this.#turn, 1); // the next lane moves into this turn
    } else {
      if (lane.head > 1024 && lane.head * 2 > lane.keys.length) {
        lane.keys = lane.keys.slice(lane.head);
        lane.head = 0;
      }
      this.#turn += 1;
    }
    return key;
  }

  #pump(): void {
    if (this.#yielded) return;
    while (this.#slots < this.#concurrency && this.#turns.length > 0) {
      if (this.#overTurnBudget()) return;
      this.#start(this.#nextReady() as string);
    }
  }

  /** Whether this turn has run long enough: the pump resumes at the end of the turn, after the event loop's I/O. */
  #overTurnBudget(): boolean {
    if (this.#turnStarted === undefined) {
      this.#turnStarted = performance.now();
      setImmediate(this.#endTurn);
      return false;
    }
    if (!this.#slow && performance.now() - this.#turnStarted < TURN_BUDGET_MS) return false;
    this.#yielded = true;
    return true;
  }

  readonly #endTurn = (): void => {
    this.#slow = this.#turnStarted !== undefined && performance.now() - this.#turnStarted >= TURN_BUDGET_MS;
    this.#turnStarted = undefined;
    if (!this.#yielded) return;
    this.#yielded = false;
    this.#pump();
  };

  #start(key: string): void {
    const queue = this.#queues.get(key);
    const item = queue?.[0];
    if (!queue || item === undefined || (this.#options.mayStart && !this.#options.mayStart(item))) {
      if (queue && queue.length === 0) this.#forget(key);
      this.#scheduled.delete(key);
      this.#notifyIdle();
      return;
    }
    queue.shift();
    this.#queued -= 1;
    this.#running += 1;
    this.#slots += 1;
    let ran: Promise<{ readonly settled: Promise<void> } | void>;
    try {
      ran = this.#options.run(item);
    } catch {
      ran = Promise.resolve(); // run() must not throw; if it does, the item is over and the key moves on
    }
    ran.then(
      (result) => {
        this.#slots -= 1;
        if (!result) {
          this.#running -= 1;
          this.#next(key, queue);
        } else if (this.#options.orderedSettles) {
          result.settled.then(this.#settled, this.#settled);
          this.#next(key, queue);
        } else {
          const next = () => {
            this.#running -= 1;
            this.#next(key, queue);
          };
          result.settled.then(next, next);
        }
        this.#pump();
      },
      () => {
        this.#slots -= 1;
        this.#running -= 1;
        this.#next(key, queue);
        this.#pump();
      },
    );
  }

  /** An item of orderedSettles has settled after its key moved on. */
  readonly #settled = (): void => {
    this.#running -= 1;
    this.#notifyIdle();
  };

  /** The key's item is over (for its order): its next item, if any, goes to the end of its lane. */
  #next(key: string, queue: T[]): void {
    if (queue.length > 0 && this.#queues.get(key) === queue) {
      this.#ready(key); // back to the end of its lane: fairness between keys
      this.#pump();
    } else {
      if (queue.length === 0 && this.#queues.get(key) === queue) this.#forget(key);
      this.#scheduled.delete(key);
      // A drop() may have replaced the queue while this item ran; offer the new one.
      if (this.#queues.has(key)) this.#schedule(key);
    }
    this.#notifyIdle();
  }
}
