// The safe commit position of one partition: the contiguous low-water mark of finished events.
// Events finish out of order (different keys run in parallel), so offset 7 may be done while 5 still runs;
// committing 8 then would skip 5 on a crash. We commit only up to the first offset that is not finished.
// Offsets are not contiguous in Kafka (compaction, transaction markers), so we track the offsets we received.
import { AsmvsError } from '../errors.ts';

export interface Finished<T> {
  readonly offset: bigint;
  readonly payload: T | undefined;
}

export class PartitionOffsets<T = undefined> {
  // Received offsets in ascending order; entries before `head` have been taken (committed).
  #offsets: bigint[] = [];
  #done: boolean[] = [];
  #payloads: (T | undefined)[] = [];
  #head = 0;
  #next: bigint | undefined;

  /** The offset after the last one received: a refetch below it is a redelivery, not new work. */
  get nextExpected(): bigint | undefined {
    return this.#next;
  }

  /** Where a restart would begin: the first received offset not yet taken (committed), else the next expected. */
  get restartAt(): bigint | undefined {
    return this.#head < this.#offsets.length ? this.#offsets[this.#head] : this.#next;
  }

  /** Number of events received and not yet taken. */
  get size(): number {
    return this.#offsets.length - this.#head;
  }

  /** True when this offset was already received (a redelivery after a rebalance refetch). */
  seen(offset: bigint): boolean {
    return this.#next !== undefined && offset < this.#next;
  }

  add(offset: bigint): void {
    if (this.seen(offset)) throw new AsmvsError('INTERNAL', `offset ${offset} received twice`);
    this.#offsets.push(offset);
    this.#done.push(false);
    this.#payloads.push(undefined);
    this.#next = offset + 1n;
  }

  /** Marks an event finished; the payload (e.g. outputs awaiting a transaction) is handed back by take(). */
  finish(offset: bigint, payload?: T): void {
    const i = this.#indexOf(offset);
    if (i < 0) throw new AsmvsError('INTERNAL', `offset ${offset} is not tracked`);
    this.#done[i] = true;
    this.#payloads[i] = payload;
  }

  /** The offset to commit (next to read) if the finished prefix has grown past what was taken, else undefined. */
  committable(): bigint | undefined {
    let i = this.#head;
    while (i < this.#offsets.length && this.#done[i]) i += 1;
    if (i === this.#head) return undefined;
    return (this.#offsets[i - 1] as bigint) + 1n;
  }

  /** The finished prefix below `upTo`, in offset order, without removing it (a transaction may still fail). */
  peek(upTo: bigint): Finished<T>[] {
    const out: Finished<T>[] = [];
    for (let i = this.#head; i < this.#offsets.length && this.#done[i] && (this.#offsets[i] as bigint) < upTo; i += 1) {
      out.push({ offset: this.#offsets[i] as bigint, payload: this.#payloads[i] });
    }
    return out;
  }

  /** Removes the finished prefix below `upTo` (once it is committed) and returns it in offset order. */
  take(upTo: bigint): Finished<T>[] {
    const taken = this.peek(upTo);
    for (let n = 0; n < taken.length; n += 1) {
      this.#payloads[this.#head] = undefined;
      this.#head += 1;
    }
    // Compact now and then so the arrays do not grow with the life of the partition.
    if (this.#head > 1024 && this.#head * 2 > this.#offsets.length) {
      this.#offsets = this.#offsets.slice(this.#head);
      this.#done = this.#done.slice(this.#head);
      this.#payloads = this.#payloads.slice(this.#head);
      this.#head = 0;
    }
    return taken;
  }

  #indexOf(offset: bigint): number {
    // Binary search: offsets are ascending.
    let lo = this.#head;
    let hi = this.#offsets.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const v = this.#offsets[mid] as bigint;
      if (v === offset) return mid;
      if (v < offset) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }
}
