// Two ways to make progress durable. At-least-once: outputs were already acknowledged, so committing the
// consumer offsets is enough. Exactly-once: the outputs of the finished prefix and the offsets go in one Kafka
// transaction, so a read-committed consumer sees either both or neither.
import type { Consumer, Producer } from 'kafkajs';
import { byTopic, type OutRecord } from './batching-sender.ts';
import { MAX_REQUEST_BYTES, runsOf, wireBytes } from './record-bytes.ts';

export interface CommitEntry {
  readonly partition: number;
  /** The next offset to read (the low-water mark). */
  readonly offset: bigint;
  /** Outputs held back until this commit (exactly-once only). */
  readonly records: readonly OutRecord[];
}

export type Committer = (topic: string, entries: readonly CommitEntry[]) => Promise<void>;

export function offsetCommitter(consumer: Consumer): Committer {
  return async (topic, entries) => {
    await consumer.commitOffsets(entries.map((e) => ({ topic, partition: e.partition, offset: e.offset.toString() })));
  };
}

/** `capBytes`: what one request of the transaction carries at most (a commit may hold thousands of records). */
export function transactionalCommitter(
  producer: Producer,
  consumerGroupId: string,
  capBytes: () => number = () => MAX_REQUEST_BYTES,
): Committer {
  return async (topic, entries) => {
    const records = entries.flatMap((e) => e.records);
    const transaction = await producer.transaction();
    try {
      for (const run of runsOf(records, (r) => wireBytes(r.message), capBytes()))
        await transaction.sendBatch({ acks: -1, topicMessages: byTopic(run) });
      await transaction.sendOffsets({
        consumerGroupId,
        topics: [{ topic, partitions: entries.map((e) => ({ partition: e.partition, offset: e.offset.toString() })) }],
      });
      await transaction.commit();
    } catch (error) {
      await transaction.abort().catch(() => undefined);
      throw error;
    }
  };
}

/** Errors after which this producer can never commit again: another instance took over its transactional id. */
export function isFenced(error: unknown): boolean {
  const type = (error as { type?: unknown }).type;
  return (
    type === 'INVALID_PRODUCER_EPOCH' || type === 'PRODUCER_FENCED' || type === 'TRANSACTIONAL_ID_AUTHORIZATION_FAILED'
  );
}
