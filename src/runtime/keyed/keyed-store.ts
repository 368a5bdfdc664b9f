// The keyed state a runner holds for the partitions it owns, and the clock that fires their timers. Pure memory:
// the Kafka runner loads it from the keyed-state topic on assignment and writes every change back with the outputs
// of the event that made it; the local runner keeps it in memory only.
import { timerCount, timerOf, timersOf, type KeyEntry, type StoredTimer } from './key-entry.ts';
import { TimerQueue } from './timer-queue.ts';

export interface DueTimer {
  readonly partition: number;
  readonly key: string;
  readonly timer: StoredTimer;
}

/** setTimeout's longest delay; later timers re-arm when it passes. */
const MAX_DELAY_MS = 2 ** 31 - 1;

export class KeyedStore {
  readonly #partitions = new Map<number, Map<string, KeyEntry>>();
  readonly #queue = new TimerQueue<DueTimer>((due) => due.timer.at);
  readonly #onDue: (due: DueTimer) => void;
  readonly #mayFire: () => boolean;
  readonly #now: () => number;
  #held = false; // due timers wait in the heap until resume(): the runner is at its in-flight limit
  #clock: NodeJS.Timeout | undefined;
  #clockAt = Infinity;
  #closed = false;
  #pending = 0;

  /**
   * onDue is called once per timer when it is due, in order of due time (per key: in order), while mayFire()
   * allows it (back-pressure: a burst of due timers waits here, in the heap, not as work in progress).
   */
  constructor(o: { onDue: (due: DueTimer) => void; mayFire?: () => boolean; now?: () => number }) {
    this.#onDue = o.onDue;
    this.#mayFire = o.mayFire ?? (() => true);
    this.#now = o.now ?? Date.now;
  }

  /** Fires what is due and was held back by mayFire(); call it when capacity frees up. */
  resume(): void {
    if (!this.#held || this.#closed) return;
    this.#held = false;
    this.#fire();
  }

  has(partition: number): boolean {
    return this.#partitions.has(partition);
  }

  /** Takes over a partition's entries (from a reload); its timers that are due fire at once. */
  load(partition: number, entries: Map<string, KeyEntry>): void {
    this.drop(partition);
    this.#partitions.set(partition, entries);
    for (const [key, entry] of entries) this.#enqueue(partition, key, entry, undefined);
    this.#arm();
  }

  /** Forgets a partition (revoked): its timers no longer fire here. */
  drop(partition: number): void {
    const entries = this.#partitions.get(partition);
    if (!entries) return;
    for (const entry of entries.values()) this.#pending -= timerCount(entry);
    this.#partitions.delete(partition);
    this.#queue.retain((d) => d.partition !== partition);
    this.#arm();
  }

  get(partition: number, key: string): KeyEntry | undefined {
    return this.#partitions.get(partition)?.get(key);
  }

  /** A partition's entries (for inspection and benchmarks). */
  entries(partition: number): [string, KeyEntry][] {
    return [...(this.#partitions.get(partition) ?? [])];
  }

  /** Whether this timer is still the key's (not cancelled, replaced, or its partition dropped). */
  isCurrent(due: DueTimer): boolean {
    return timerOf(this.get(due.partition, due.key), due.timer.id) === due.timer;
  }

  /** Sets a key's entry after an event (undefined deletes it); new timers join the clock. */
  put(partition: number, key: string, entry: KeyEntry | undefined): void {
    const entries = this.#partitions.get(partition);
    if (!entries) return; // revoked meanwhile: the new owner reloads from the topic
    const before = entries.get(key);
    this.#pending -= timerCount(before);
    if (entry === undefined) entries.delete(key);
    else {
      entries.set(key, entry);
      this.#enqueue(partition, key, entry, before);
    }
    this.#arm();
  }

  /** Timers held (fired ones count until the event that handles them finishes). */
  get pendingTimers(): number {
    return this.#pending;
  }

  /** Whether a current timer is due at `at` or earlier (stale heap entries are dropped on the way). */
  hasDue(at: number = this.#now()): boolean {
    for (let top = this.#queue.peek(); top && top.timer.at <= at; top = this.#queue.peek()) {
      if (this.isCurrent(top)) return true;
      this.#queue.pop();
    }
    return false;
  }

  /** Stops the clock for good (the runner is stopping). */
  close(): void {
    this.#closed = true;
    if (this.#clock) clearTimeout(this.#clock);
    this.#clock = undefined;
  }

  /**
   * Queues the entry's new timers: those that were not in the key's previous entry. A timer kept across events is
   * the same object (KeyedAttempt keeps what it did not change), and is already queued.
   */
  #enqueue(partition: number, key: string, entry: KeyEntry, before: KeyEntry | undefined): void {
    const timers = timersOf(entry);
    const kept = timersOf(before);
    this.#pending += timers.length;
    for (const timer of timers) {
      if (kept.includes(timer)) continue;
      this.#queue.push({ partition, key, timer });
    }
  }

  #arm(): void {
    if (this.#closed || this.#held) return;
    const at = this.#queue.peekAt();
    if (at === this.#clockAt && this.#clock) return;
    if (this.#clock) clearTimeout(this.#clock);
    this.#clock = undefined;
    this.#clockAt = at;
    if (at === Infinity) return;
    const delay = Math.min(MAX_DELAY_MS, Math.max(0, at - this.#now()));
    this.#clock = setTimeout(() => this.#fire(), delay);
    this.#clock.unref?.();
  }

  #fire(): void {
    this.#clock = undefined;
    this.#clockAt = Infinity;
    const now = this.#now();
    for (let top = this.#queue.peek(); top && top.timer.at <= now; top = this.#queue.peek()) {
      if (!this.#mayFire()) {
        this.#held = true;
        return;
      }
      this.#queue.pop();
      if (this.isCurrent(top)) this.#onDue(top);
      if (this.#closed) return;
    }
    this.#arm();
  }
}
