// Natural batching for the producer: the first send goes out at once (low latency); sends that arrive while a
// request is in flight wait and leave together in the next sendBatch (high throughput). One request at a time
// keeps the idempotent producer's per-partition order, so per-key order of outputs holds across events.
// A request carries at most `capBytes` (record-bytes.ts): the broker refuses a partition's batch larger than the
// topic's max.message.bytes, for good, so a send larger than that (a report's thousands of findings on a
// one-partition topic) goes out in several requests, in order, and resolves when the last is acknowledged.
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
import { MAX_REQUEST_BYTES, wireBytes } from './record-bytes.ts';

export interface OutRecord {
  readonly topic: string;
  readonly message: Message;
}

interface Pending {
  readonly records: readonly OutRecord[];
  readonly signal: AbortSignal;
  readonly resolve: (acknowledged: boolean) => void;
  /** How many of `records` are acknowledged: a send larger than a request goes out in several, in order. */
  sent: number;
}

/** A part of one send in a request: its records from `pending.sent` up to `to`. */
interface Slice {
  readonly pending: Pending;
  readonly to: number;
}

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
  /** What one request carries at most, in wireBytes; lowered at start when an output topic takes less. */
  capBytes = MAX_REQUEST_BYTES;

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
      this.#pending.push({ records, signal, resolve, sent: 0 });
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

  /** The sends' next records, in order, up to `capBytes` (at least one record). */
  #nextRequest(): { slices: Slice[]; topicMessages: { topic: string; messages: Message[] }[] } {
    const slices: Slice[] = [];
    const topics = new Map<string, Message[]>();
    let bytes = 0;
    for (const pending of this.#pending) {
      let i = pending.sent;
      for (; i < pending.records.length; i++) {
        const r = pending.records[i] as OutRecord;
        const size = wireBytes(r.message);
        if (bytes > 0 && bytes + size > this.capBytes) break;
        bytes += size;
        addRecord(topics, r);
      }
      if (i > pending.sent) slices.push({ pending, to: i });
      if (i < pending.records.length) break; // full
    }
    return { slices, topicMessages: [...topics].map(([topic, messages]) => ({ topic, messages })) };
  }

  async #flush(): Promise<void> {
    this.#busy = true;
    let failures = 0;
    let leave: (() => void) | undefined;
    while (this.#pending.length > 0) {
      const { slices, topicMessages } = this.#nextRequest();
      try {
        await this.#producer.sendBatch({ acks: -1, topicMessages });
        if (failures > 0) this.#log.info({ failures }, 'publishing succeeds again');
        failures = 0;
        leave?.();
        leave = undefined;
        let done = 0;
        for (const { pending, to } of slices) {
          pending.sent = to;
          if (to < pending.records.length) break;
          pending.resolve(true);
          done += 1;
        }
        // The head of the queue (all of it, the usual case: a new array, not a copy of the rest).
        this.#pending = done === this.#pending.length ? [] : this.#pending.slice(done);
      } catch (error) {
        failures += 1;
        if (failures === 1) {
          // One line per streak: while the broker is down this retries for as long as it takes.
          const topics = topicMessages.map((t) => t.topic);
          this.#log.error({ err: error, topics }, 'publish failed; retrying until acknowledged, offsets held');
          leave = this.#outages?.enter(
            new AsmvsError('KAFKA_UNAVAILABLE', `publishing: ${(error as Error).message}`, { cause: error }),
          );
        }
        if (this.#fresh && producerStateLost(error)) await this.#replace(error);
        const wake = this.#wake.signal;
        await sleep(backoffDelay(failures, this.#retry), wake).catch(() => undefined);
        // Retried first, in the same order: the keys of these events wait for them, so order per key holds. A send
        // whose signal aborted gives up, even when part of it went out (its event runs again: at least once).
        this.#pending = this.#pending.filter((p) => !p.signal.aborted || (p.resolve(false), false));
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

/** Records grouped per topic, as sendBatch takes them. */
export function byTopic(records: readonly OutRecord[]): { topic: string; messages: Message[] }[] {
  const topics = new Map<string, Message[]>();
  for (const r of records) addRecord(topics, r);
  return [...topics].map(([topic, messages]) => ({ topic, messages }));
}

function addRecord(topics: Map<string, Message[]>, r: OutRecord): void {
  let messages = topics.get(r.topic);
  if (!messages) topics.set(r.topic, (messages = []));
  messages.push(r.message);
}
