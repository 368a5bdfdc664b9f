// The Kafka side of the attempt pipeline: a fetched record or a due timer as work on its partition, and the
// transport that turns an attempt's outputs and dead letter into records for their physical topics and sends them
// (or, exactly-once, leaves them to the transaction that commits their offsets).
import type { KafkaMessage } from 'kafkajs';
import type { AttemptWork, Transport } from '../attempt-pipeline.ts';
import { deadLetterHeaders, headersAsStrings } from '../dead-letter.ts';
import type { Emitted } from '../execute.ts';
import type { DueTimer } from '../keyed/keyed-store.ts';
import { TimerWork } from '../keyed/timer-work.ts';
import type { BatchingSender, OutRecord } from './batching-sender.ts';
import type { PartitionState } from './partition-states.ts';
import { BATCH_MARGIN_BYTES, bytesOf, DEFAULT_MAX_MESSAGE_BYTES } from './record-bytes.ts';

/** A record of the input partition, queued in its key's mailbox. */
export class EventWork implements AttemptWork {
  readonly state: PartitionState;
  readonly message: KafkaMessage;
  /** The offset as a number, for the tracker and the drain limit. */
  readonly position: bigint;
  /** The key as a string, decoded once (it names the mailbox and goes into EventMeta). */
  readonly key: string | null;
  readonly due = undefined;
  #headers: Readonly<Record<string, string>> | undefined;

  constructor(state: PartitionState, message: KafkaMessage, position: bigint, key: string | null) {
    this.state = state;
    this.message = message;
    this.position = position;
    this.key = key;
  }

  get signal(): AbortSignal {
    return this.state.revoked.signal;
  }

  get partition(): number {
    return this.state.partition;
  }

  get bytes(): Buffer {
    return this.message.value as Buffer;
  }

  get offset(): string {
    return this.message.offset;
  }

  get timestamp(): number {
    return Number(this.message.timestamp);
  }

  get headers(): Readonly<Record<string, string>> {
    return (this.#headers ??= headersAsStrings(this.message.headers));
  }

  get original(): AttemptWork['original'] {
    return { key: this.message.key, headers: this.message.headers };
  }
}

/** A due timer of one of the partitions. */
export class PartitionTimerWork extends TimerWork {
  readonly state: PartitionState;
  /** The size of its records once handed to the producer (flow control's unacknowledged-bytes window). */
  sentBytes: number | undefined;

  constructor(state: PartitionState, due: DueTimer) {
    super(due, state.revoked.signal);
    this.state = state;
  }
}

export type KafkaWork = EventWork | PartitionTimerWork;

/** What records weigh while they wait for their acknowledgement: keys and values. */
export function recordBytes(records: readonly OutRecord[]): number {
  let n = 0;
  for (const { message } of records) n += bytesOf(message.key) + bytesOf(message.value);
  return n;
}

export function kafkaTransport(o: {
  readonly prefix: string;
  /** Physical topics that replace `<prefix><output>` for some outputs (a replay into a side topic). */
  readonly outputTopics: Readonly<Record<string, string>> | undefined;
  readonly deadLetterTopic: string;
  /** Undefined when exactly-once: the records wait for the transaction that commits their offsets. */
  readonly sender: BatchingSender | undefined;
  /** max.message.bytes per physical topic, as the stage learnt it at start (the broker's default until then). */
  readonly messageLimits: ReadonlyMap<string, number>;
}): Transport<OutRecord> {
  const { prefix, outputTopics, sender } = o;
  const acknowledged = Promise.resolve(true);
  // One string per topic, not one per record: a string made per record is hashed anew by every map it is looked up
  // in (grouping per topic here and in kafkajs), and a concatenation is flattened first.
  const physical = new Map<string, string>();
  const topicOf = (topic: string): string => {
    let name = physical.get(topic);
    if (name === undefined) physical.set(topic, (name = outputTopics?.[topic] ?? prefix + topic));
    return name;
  };
  return {
    outputs: (outputs: readonly Emitted<Buffer>[], headers) =>
      outputs.map((out) => ({
        topic: topicOf(out.topic),
        message: { key: out.key, value: out.value, headers },
      })),
    deadLetter: (work, facts) => ({
      topic: o.deadLetterTopic,
      message: {
        key: work.original.key,
        value: work.bytes,
        headers: deadLetterHeaders(work.original.headers, facts),
      },
    }),
    send: sender ? (records, signal) => sender.send(records, signal) : () => acknowledged,
    countsProduced: sender !== undefined,
    maxRecordBytes: (topic) => (o.messageLimits.get(topicOf(topic)) ?? DEFAULT_MAX_MESSAGE_BYTES) - BATCH_MARGIN_BYTES,
  };
}
