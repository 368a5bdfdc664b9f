// The partitions a Kafka stage owns now, each with its own state: the offsets it received and finished (the commit
// position), the controller its work is aborted through when it is revoked, and how far a drain may go. A state is
// replaced, never reused: a partition lost and assigned again gets a fresh one, so late completions of work from
// the previous ownership are recognised (owns() is false) and never reach a commit.
import { AsmvsError } from '../../errors.ts';
import { PartitionOffsets } from '../offset-tracker.ts';
import type { OutRecord } from './batching-sender.ts';

export interface PartitionState {
  readonly partition: number;
  /** Exactly-once: a finished event's outputs wait here for the transaction that commits its offset. */
  readonly tracker: PartitionOffsets<readonly OutRecord[]>;
  /** Aborted on revocation or at the shutdown deadline: one controller per partition, not per event. */
  readonly revoked: AbortController;
  /** The highest offset whose handling started. */
  maxStarted: bigint;
  /** While draining: offsets above it do not start (timers already queued still do). */
  drainLimit: bigint | undefined;
  /** The partition's end as last seen (a fetched batch, or the lag refresh). */
  highWatermark: bigint | undefined;
  /** Keyed stages: its timers and state are loaded (dispatch waits until then). */
  loaded: boolean;
}

export class PartitionStates {
  readonly #states = new Map<number, PartitionState>();
  #owned: readonly PartitionState[] = []; // the states' values, remade when the assignment changes
  readonly #keyed: boolean;

  /** `keyed`: new partitions start unloaded (their keyed state is read first). */
  constructor(o: { keyed: boolean }) {
    this.#keyed = o.keyed;
  }

  get(partition: number): PartitionState | undefined {
    return this.#states.get(partition);
  }

  /** Whether this state is still the current one of its partition (not revoked, not replaced). */
  owns(state: PartitionState): boolean {
    return this.#states.get(state.partition) === state;
  }

  values(): IterableIterator<PartitionState> {
    return this.#states.values();
  }

  /** The partition numbers owned, ascending. */
  numbers(): number[] {
    return [...this.#states.keys()].sort((a, b) => a - b);
  }

  /** Events received and not yet committed, over every partition (back-pressure). */
  uncommitted(): number {
    // Asked at every release while the input is paused: an array, not a map iterator made per call.
    let n = 0;
    for (const s of this.#owned) n += s.tracker.size;
    return n;
  }

  /**
   * Takes a new assignment: partitions no longer in it are forgotten and their work aborted; new ones get a fresh
   * state. Returns both, for the runner to act on.
   */
  assign(partitions: Iterable<number>): { revoked: PartitionState[]; added: PartitionState[] } {
    const now = new Set(partitions);
    const revoked: PartitionState[] = [];
    for (const state of [...this.#states.values()]) {
      if (now.has(state.partition)) continue;
      this.#states.delete(state.partition);
      state.revoked.abort(new AsmvsError('ABORTED', `partition ${state.partition} was revoked`));
      revoked.push(state);
    }
    const added: PartitionState[] = [];
    for (const partition of now) {
      if (this.#states.has(partition)) continue;
      const state: PartitionState = {
        partition,
        tracker: new PartitionOffsets(),
        revoked: new AbortController(),
        maxStarted: -1n,
        drainLimit: undefined,
        highWatermark: undefined,
        loaded: !this.#keyed,
      };
      this.#states.set(partition, state);
      added.push(state);
    }
    this.#owned = [...this.#states.values()];
    return { revoked, added };
  }

  /** Drain: finish what started and the holes below it, start nothing beyond (the position ends at the work done). */
  drain(): void {
    for (const state of this.#states.values()) state.drainLimit ??= state.maxStarted;
  }

  /** Aborts every partition's work in progress (the shutdown deadline passed). */
  abortAll(reason: string): void {
    for (const state of this.#states.values()) state.revoked.abort(new AsmvsError('ABORTED', reason));
  }
}
