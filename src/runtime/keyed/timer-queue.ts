// A binary min-heap of timers by due time (ties: first scheduled first), so that a key's timers fire in order.
// Cancelled or replaced timers are not removed from the heap; the store checks each popped timer is still current.
// The heap holds one entry per pending timer (100,000 and more), so it keeps no wrapper object per entry: the items
// and their sequence numbers sit in two parallel arrays, and the due time is read from the item itself.

export class TimerQueue<T> {
  readonly #items: T[] = [];
  readonly #seqs: number[] = [];
  readonly #atOf: (item: T) => number;
  #seq = 0;

  constructor(atOf: (item: T) => number) {
    this.#atOf = atOf;
  }

  get size(): number {
    return this.#items.length;
  }

  push(item: T): void {
    this.#items.push(item);
    this.#seqs.push(this.#seq++);
    this.#up(this.#items.length - 1);
  }

  peek(): T | undefined {
    return this.#items[0];
  }

  /** The due time of the first item (Infinity when empty). */
  peekAt(): number {
    return this.#items.length === 0 ? Infinity : this.#atOf(this.#items[0] as T);
  }

  pop(): T | undefined {
    const items = this.#items;
    const top = items[0];
    if (top === undefined) return undefined;
    const last = items.pop() as T;
    const lastSeq = this.#seqs.pop() as number;
    if (items.length > 0) {
      items[0] = last;
      this.#seqs[0] = lastSeq;
      this.#down(0);
    }
    return top;
  }

  /** Removes every entry the predicate rejects (e.g. a dropped partition's), in one pass. */
  retain(keep: (item: T) => boolean): void {
    const kept: number[] = [];
    for (let i = 0; i < this.#items.length; i += 1) if (keep(this.#items[i] as T)) kept.push(i);
    const items = kept.map((i) => this.#items[i] as T);
    const seqs = kept.map((i) => this.#seqs[i] as number);
    this.#items.length = 0;
    this.#seqs.length = 0;
    for (let i = 0; i < items.length; i += 1) {
      this.#items.push(items[i] as T);
      this.#seqs.push(seqs[i] as number);
      this.#up(i);
    }
  }

  #before(i: number, j: number): boolean {
    const a = this.#atOf(this.#items[i] as T);
    const b = this.#atOf(this.#items[j] as T);
    return a < b || (a === b && (this.#seqs[i] as number) < (this.#seqs[j] as number));
  }

  // Temporaries, not a destructuring swap: that allocates an array per swap (~17 swaps a pop at 100,000 timers).
  #swap(i: number, j: number): void {
    const items = this.#items;
    const seqs = this.#seqs;
    const item = items[i] as T;
    items[i] = items[j] as T;
    items[j] = item;
    const seq = seqs[i] as number;
    seqs[i] = seqs[j] as number;
    seqs[j] = seq;
  }

  #up(i: number): void {
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.#before(i, parent)) break;
      this.#swap(i, parent);
      i = parent;
    }
  }

  #down(i: number): void {
    const n = this.#items.length;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let least = i;
      if (l < n && this.#before(l, least)) least = l;
      if (r < n && this.#before(r, least)) least = r;
      if (least === i) return;
      this.#swap(i, least);
      i = least;
    }
  }
}
