// The Kafka side of a keyed stage's timers and state: loads the partitions the stage is assigned (dispatch there
// waits until they are loaded), forgets revoked ones, and turns each key's new entry into the keyed-state record
// that leaves with the outputs of the event that changed it. The records go to the input key's partition, so
// whoever owns an input partition owns its timers.
import { AsmvsError } from '../../errors.ts';
import type { Logger } from '../../processor.ts';
import type { Codec } from '../../schemas/codec.ts';
import type { SchemaTopic } from '../../schemas/registry-files.ts';
import type { StageMetrics } from '../../observability/metrics.ts';
import { backoffDelay, sleep, type RetryPolicy } from '../backoff.ts';
import { KeyedAttempt, timerBytes, timerCount, timersOf, type KeyEntry, type StoredTimer } from '../keyed/key-entry.ts';
import { KeyedStore, type DueTimer } from '../keyed/keyed-store.ts';
import type { OutRecord } from './batching-sender.ts';
import type { Kafka } from './client.ts';
import { keyedRecordKey, loadKeyedPartitions } from './keyed-state-loader.ts';
import { kafkaError } from './kafka-errors.ts';

export interface KeyedPartitionsOptions {
  readonly kafka: Kafka;
  readonly codec: Codec;
  readonly stage: string;
  /** Logical input topic (timer values are encoded as its values). */
  readonly input: SchemaTopic;
  readonly prefix: string;
  readonly retry: RetryPolicy;
  readonly log: Logger;
  readonly metrics?: StageMetrics;
  readonly onDue: (due: DueTimer) => void;
  /** Back-pressure: due timers wait while this says no (see KeyedStore). */
  readonly mayFire: () => boolean;
  readonly now?: () => number;
}

export class KeyedPartitions {
  readonly store: KeyedStore;
  readonly topic: string;
  readonly #o: KeyedPartitionsOptions;
  readonly #now: () => number;
  readonly #pending: { set(v: number): void } | undefined; // bound once: prom-client hashes labels on every call

  constructor(o: KeyedPartitionsOptions) {
    this.#o = o;
    this.#now = o.now ?? Date.now;
    this.#pending = o.metrics?.timersPending.labels({ stage: o.stage });
    this.topic = `${o.prefix}keyed-state`;
    this.store = new KeyedStore({ onDue: o.onDue, mayFire: o.mayFire, now: this.#now });
  }

  /** Registers the keyed-state schema and checks the topic can hold every input partition. */
  async start(): Promise<void> {
    await this.#o.codec.register(['keyed-state', this.#o.input]); // timer values are encoded as input values
    const admin = this.#o.kafka.admin();
    await admin.connect();
    try {
      const input = `${this.#o.prefix}${this.#o.input}`;
      const { topics } = await admin.fetchTopicMetadata({ topics: [input, this.topic] }).catch((error: unknown) => {
        const known = kafkaError(error, 'reading topic metadata');
        // A broker that does not answer is waited for (the caller retries); anything else means a topic is missing.
        if (known instanceof AsmvsError && known.unavailable) throw known;
        throw new AsmvsError('TOPIC_MISSING', `${this.topic} or ${input} does not exist (asmvs topics create)`, {
          cause: error,
        });
      });
      const count = (name: string) => topics.find((t) => t.name === name)?.partitions.length ?? 0;
      if (count(this.topic) < count(input))
        throw new AsmvsError(
          'CONFIG_INVALID',
          `${this.topic} has ${count(this.topic)} partitions but ${input} has ${count(input)}; the timers of input partition p live in partition p, so it needs at least as many`,
        );
    } finally {
      await admin.disconnect();
    }
  }

  /**
   * Loads newly assigned partitions, retrying while Kafka fails; `owned(p)` says whether p is still ours (a load
   * for partitions revoked meanwhile is dropped). Resolves with the partitions loaded into the store.
   */
  async load(partitions: readonly number[], owned: (p: number) => boolean, signal: AbortSignal): Promise<number[]> {
    const started = performance.now();
    for (let attempt = 1; ; attempt += 1) {
      const wanted = partitions.filter(owned);
      if (wanted.length === 0 || signal.aborted) return [];
      try {
        const loaded = await loadKeyedPartitions({
          kafka: this.#o.kafka,
          codec: this.#o.codec,
          topic: this.topic,
          stage: this.#o.stage,
          partitions: wanted,
          signal,
        });
        const taken: number[] = [];
        let timers = 0;
        for (const [partition, entries] of loaded) {
          if (!owned(partition)) continue;
          this.store.load(partition, entries);
          taken.push(partition);
          for (const e of entries.values()) timers += timerCount(e);
        }
        const seconds = (performance.now() - started) / 1000;
        this.#o.metrics?.keyedLoadSeconds.observe({ stage: this.#o.stage }, seconds);
        this.#o.log.info({ partitions: taken, timers, ms: Math.round(seconds * 1000) }, 'keyed state loaded');
        return taken;
      } catch (error) {
        if (signal.aborted) return [];
        const delayMs = backoffDelay(Math.min(attempt, 10), this.#o.retry);
        if (attempt === 1)
          this.#o.log.warn({ err: error, delayMs }, 'loading keyed state failed; retrying until it loads');
        await sleep(delayMs, signal).catch(() => undefined);
      }
    }
  }

  /** The view an attempt of an event on (partition, key) gets; `base` overrides the stored entry (a fired timer). */
  attempt(
    partition: number,
    key: string,
    base: KeyEntry | undefined = this.store.get(partition, key),
    fired?: StoredTimer,
  ): KeyedAttempt {
    return new KeyedAttempt(base, (value) => this.#o.codec.encode(this.#o.input, value as never), this.#now, fired);
  }

  /** Applies a key's new entry in memory and returns the record that makes it durable (a tombstone if empty). */
  commit(partition: number, key: string, entry: KeyEntry | undefined): OutRecord {
    this.store.put(partition, key, entry);
    this.#pending?.set(this.store.pendingTimers);
    const value =
      entry === undefined
        ? null
        : this.#o.codec.encode('keyed-state', {
            stage: this.#o.stage,
            key,
            state: entry.state ?? null,
            timers: timersOf(entry).map((t) => ({
              id: t.id,
              at: t.at,
              scheduledAt: t.scheduledAt,
              value: timerBytes(t),
            })),
            updatedAt: this.#now(),
          });
    return { topic: this.topic, message: { key: keyedRecordKey(this.#o.stage, key), value, partition } };
  }

  drop(partition: number): void {
    this.store.drop(partition);
  }

  close(): void {
    this.store.close();
  }
}
