// The commit position of a Kafka stage: every partition's contiguous low-water mark of finished events (offset
// tracker), committed on a timer, on rebalance and on stop — never for a partition no longer owned. Commits are
// serialised and coalesced: at most one in flight and one queued behind it, which takes whatever finished meanwhile.
// Exactly-once: the finished events' outputs go in the same transaction as their offsets.
import { AsmvsError } from '../../errors.ts';
import type { Logger } from '../../processor.ts';
import type { StageMetrics } from '../../observability/metrics.ts';
import { isFenced, type CommitEntry, type Committer } from './commit.ts';
import type { PartitionState, PartitionStates } from './partition-states.ts';

export interface CommitLoopOptions {
  readonly stage: string;
  /** The physical input topic. */
  readonly input: string;
  /** Stripped from output topics to label the produced metric. */
  readonly prefix: string;
  readonly partitions: PartitionStates;
  readonly commit: Committer;
  readonly exactlyOnce: boolean;
  readonly log: Logger;
  readonly metrics?: StageMetrics | undefined;
  /** After a commit: positions moved (lag, back-pressure). */
  readonly onCommitted: (committed: readonly { state: PartitionState; offset: bigint }[]) => void;
  /** The runner's own failure (a fenced exactly-once producer can never commit again). */
  readonly onFailure: (error: unknown) => void;
}

export class CommitLoop {
  readonly #o: CommitLoopOptions;
  #running: Promise<void> | undefined;
  #queued: Promise<void> | undefined;
  #timer: NodeJS.Timeout | undefined;
  #failing = false;

  constructor(o: CommitLoopOptions) {
    this.#o = o;
  }

  /** Commits what is committable now; joins the queued commit if one is already waiting. */
  now(): Promise<void> {
    if (this.#queued) return this.#queued;
    if (this.#running) {
      this.#queued = this.#running.then(() => {
        this.#queued = undefined;
        return this.now();
      });
      return this.#queued;
    }
    this.#running = this.#once().finally(() => (this.#running = undefined));
    return this.#running;
  }

  /** Commits every `intervalMs`, calling `tick` first (what is sampled rather than updated per event). */
  every(intervalMs: number, tick: () => void): void {
    this.#timer = setInterval(() => {
      tick();
      void this.now();
    }, intervalMs);
  }

  stopTimer(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
  }

  async #once(): Promise<void> {
    const { exactlyOnce, metrics } = this.#o;
    const entries: (CommitEntry & { state: PartitionState })[] = [];
    for (const state of this.#o.partitions.values()) {
      const offset = state.tracker.committable();
      if (offset === undefined) continue;
      const records = exactlyOnce ? state.tracker.peek(offset).flatMap((f) => f.payload ?? []) : [];
      entries.push({ state, partition: state.partition, offset, records });
    }
    if (entries.length === 0) return;
    try {
      await this.#o.commit(this.#o.input, entries);
    } catch (error) {
      if (exactlyOnce && isFenced(error))
        return this.#o.onFailure(
          new AsmvsError(
            'KAFKA_UNAVAILABLE',
            `stage ${this.#o.stage} was fenced: another copy uses its transactional id`,
            {
              cause: error,
            },
          ),
        );
      // One line per streak: during a broker outage the timer retries ten times a second.
      if (!this.#failing) this.#o.log.warn({ err: error }, 'commit failed; will retry');
      this.#failing = true;
      return;
    }
    if (this.#failing) this.#o.log.info('commits succeed again');
    this.#failing = false;
    for (const e of entries) {
      e.state.tracker.take(e.offset);
      if (exactlyOnce)
        for (const r of e.records)
          metrics?.produced.inc({ stage: this.#o.stage, topic: r.topic.slice(this.#o.prefix.length) });
    }
    metrics?.commits.inc({ stage: this.#o.stage });
    this.#o.onCommitted(entries);
  }
}
