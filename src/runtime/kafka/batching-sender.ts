// Natural batching for the producer: the first send goes out at once (low latency); sends that arrive while a
// request is in flight wait and leave together in the next sendBatch (high throughput). One request at a time
// keeps the idempotent producer's per-partition order, so per-key order of outputs holds across events.
// A failed request is retried here, whole, with backoff, until it is acknowledged: while it fails its events stay
// unfinished, so their offsets are not committed. A send whose signal aborts (revocation, shutdown deadline) gives
// up at the next failure or backoff, resolving false.
// Trap (kafkajs 2.2.4): an idempotent producer keeps its producer id and sequence numbers for good; once the broker
// answers OUT_OF_ORDER_SEQUENCE_NUMBER or UNKNOWN_PRODUCER_ID (after a broker crash or restart, tulios/kafkajs#598)
// every retry fails the same way, forever. Such a producer is replaced by a new one (a new producer id).
import type { Message, Producer } from 'kafkajs';
import { AsmvsError } from '../../errors.ts';
import type { Logger } from '../../processor.ts';
import { backoffDelay, sleep, type RetryPolicy } from '../backoff.ts';
import type { Outages } from '../outages.ts';

export interface OutRecord {
  readonly topic: string;
  readonly message: Message;
}

interface Pending {
  readonly records: readonly OutRecord[];
  readonly signal: AbortSignal;
  readonly resolve: (acknowledged: boolean) => void;
}

/**
 * Records per produce request. kafkajs 2.2.4 grouped a request's messages per partition by copying the partition's
 * array for every message (groupMessagesPerPartition.js: `[...current, message]`), quadratic in the messages per
 * partition; patches/kafkajs+2.2.4.patch appends in place now. The cap stays: a request of a thousand records
 * (~0.5 MB of our records) already fills a round trip, and a larger one only holds more memory while it is out.
 */
export const MAX_RECORDS_PER_REQUEST = 1_000;

/** Broker answers after which this producer id can never publish again. */
const LOST_PRODUCER_STATE = new Set([
  'OUT_OF_ORDER_SEQUENCE_NUMBER',
  'UNKNOWN_PRODUCER_ID',
  'INVALID_PRODUCER_ID_MAPPING',
]);

function producerStateLost(error: unknown): boolean {
  for (let e = error, depth = 0; e !== null && typeof e === 'object' && depth < 8; depth += 1) {
    if (LOST_PRODUCER_STATE.has(String((e as { type?: unknown }).type))) return true;
    e = (e as { cause?: unknown; originalError?: unknown }).cause ?? (e as { originalError?: unknown }).originalError;
  }
  return false;
}

export class BatchingSender {
  #producer: Producer;
  readonly #fresh: (() => Producer) | undefined;
  readonly #retry: RetryPolicy;
  readonly #log: Logger;
  readonly #outages: Outages | undefined;
  #pending: Pending[] = [];
  #busy = false;
  #wake = new AbortController();

  /**
   * `outages`: a failing publish is Kafka being unavailable, waited for (the stage is not ready meanwhile).
   * `fresh`: makes a new (unconnected) producer, to replace one whose producer id the broker no longer accepts.
   */
  constructor(
    producer: Producer,
    o: { retry: RetryPolicy; log: Logger; outages?: Outages | undefined; fresh?: (() => Producer) | undefined },
  ) {
    this.#producer = producer;
    this.#fresh = o.fresh;
    this.#retry = o.retry;
    this.#log = o.log;
    this.#outages = o.outages;
  }

  /** Resolves true when every record is acknowledged by all in-sync replicas (acks=-1); false if `signal` aborted first. */
  send(records: readonly OutRecord[], signal: AbortSignal): Promise<boolean> {
    if (records.length === 0) return Promise.resolve(true);
    return new Promise((resolve) => {
      this.#pending.push({ records, signal, resolve });
      if (!this.#busy) void this.#flush();
    });
  }

  /** The producer in use (it changes when one is replaced). */
  get producer(): Producer {
    return this.#producer;
  }

  /** Ends a backoff wait now, so that sends whose signal aborted give up without waiting it out. */
  interrupt(): void {
    this.#wake.abort();
    this.#wake = new AbortController();
  }

  async #flush(): Promise<void> {
    this.#busy = true;
    let failures = 0;
    let leave: (() => void) | undefined;
    while (this.#pending.length > 0) {
      let taken = 0;
      let count = 0;
      while (
        taken < this.#pending.length &&
        (taken === 0 || count + (this.#pending[taken] as Pending).records.length <= MAX_RECORDS_PER_REQUEST)
      ) {
        count += (this.#pending[taken] as Pending).records.length;
        taken += 1;
      }
      // All of it (the usual case): the array itself, not a copy of its head.
      const batch = this.#pending;
      this.#pending = taken === batch.length ? [] : batch.splice(taken);
      try {
        await this.#producer.sendBatch({ acks: -1, topicMessages: byTopicOf(batch) });
        if (failures > 0) this.#log.info({ failures }, 'publishing succeeds again');
        failures = 0;
        leave?.();
        leave = undefined;
        for (const p of batch) p.resolve(true);
      } catch (error) {
        failures += 1;
        if (failures === 1) {
          // One line per streak: while the broker is down this retries for as long as it takes.
          const topics = [...new Set(batch.flatMap((p) => p.records.map((r) => r.topic)))];
          this.#log.error({ err: error, topics }, 'publish failed; retrying until acknowledged, offsets held');
          leave = this.#outages?.enter(
            new AsmvsError('KAFKA_UNAVAILABLE', `publishing: ${(error as Error).message}`, { cause: error }),
          );
        }
        if (this.#fresh && producerStateLost(error)) await this.#replace(error);
        const wake = this.#wake.signal;
        await sleep(backoffDelay(failures, this.#retry), wake).catch(() => undefined);
        // Retried first, in the same order: the keys of these events wait for them, so order per key holds.
        this.#pending = [...batch, ...this.#pending].filter((p) => !p.signal.aborted || (p.resolve(false), false));
      }
    }
    leave?.(); // the sends left gave up (their partitions were revoked or the stage stops)
    this.#busy = false;
  }

  /** A new producer id: the batch is retried as new, so what the broker kept of it may be written twice. */
  async #replace(error: unknown): Promise<void> {
    const next = (this.#fresh as () => Producer)();
    try {
      await next.connect();
    } catch {
      await next.disconnect().catch(() => undefined);
      return; // the broker does not answer yet: the next failure tries again
    }
    this.#log.warn({ err: error }, 'the broker no longer accepts this producer id; publishing with a new one');
    const old = this.#producer;
    this.#producer = next;
    await old.disconnect().catch(() => undefined);
  }
}

function byTopicOf(batch: readonly Pending[]): { topic: string; messages: Message[] }[] {
  const topics = new Map<string, Message[]>();
  for (const p of batch) addByTopic(topics, p.records);
  return [...topics].map(([topic, messages]) => ({ topic, messages }));
}

/** Records grouped per topic, as sendBatch takes them. */
export function byTopic(records: readonly OutRecord[]): { topic: string; messages: Message[] }[] {
  const topics = new Map<string, Message[]>();
  addByTopic(topics, records);
  return [...topics].map(([topic, messages]) => ({ topic, messages }));
}

function addByTopic(topics: Map<string, Message[]>, records: readonly OutRecord[]): void {
  for (const r of records) {
    let messages = topics.get(r.topic);
    if (!messages) topics.set(r.topic, (messages = []));
    messages.push(r.message);
  }
}
