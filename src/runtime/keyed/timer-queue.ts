// A binary min-heap of timers by due time (ties: first scheduled first), so that a key's timers fire in order.
// Cancelled or replaced timers are not removed from the heap; the store checks each popped timer is still current.

export interface Queued<T> {
  readonly at: number;
  readonly seq: number;
  readonly item: T;
}

export class TimerQueue<T> {
  readonly #heap: Queued<T>[] = [];
  #seq = 0;

  get size(): number {
    return this.#heap.length;
  }

  push(at: number, item: T): void {
    const heap = this.#heap;
    heap.push({ at, seq: this.#seq++, item });
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(heap[i] as Queued<T>, heap[parent] as Queued<T>)) break;
      [heap[i], heap[parent]] = [heap[parent] as Queued<T>, heap[i] as Queued<T>];
      i = parent;
    }
  }

  peek(): Queued<T> | undefined {
    return this.#heap[0];
  }

  pop(): Queued<T> | undefined {
    const heap = this.#heap;
    const top = heap[0];
    const last = heap.pop();
    if (top === undefined || last === undefined || heap.length === 0) return top;
    heap[0] = last;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let least = i;
      if (l < heap.length && before(heap[l] as Queued<T>, heap[least] as Queued<T>)) least = l;
      if (r < heap.length && before(heap[r] as Queued<T>, heap[least] as Queued<T>)) least = r;
      if (least === i) break;
      [heap[i], heap[least]] = [heap[least] as Queued<T>, heap[i] as Queued<T>];
      i = least;
    }
    return top;
  }

  /** Removes every entry the predicate rejects (e.g. a dropped partition's), in one pass. */
  retain(keep: (item: T) => boolean): void {
    const kept = this.#heap.filter((q) => keep(q.item));
    this.#heap.length = 0;
    for (const q of kept.sort((a, b) => (before(a, b) ? -1 : 1))) this.#heap.push(q);
  }
}

function before<T>(a: Queued<T>, b: Queued<T>): boolean {
  return a.at < b.at || (a.at === b.at && a.seq < b.seq);
}
