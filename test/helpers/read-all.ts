// Every record of a topic up to its end as of the call, with keys and headers as they are (a throw-away group,
// read committed): what a test reads to count exactly — an extra output or dead letter shows up too.
import type { Admin, IHeaders } from 'kafkajs';
import type { Kafka } from '../../src/runtime/kafka/client.ts';

export interface RawRecord {
  readonly key: string | null;
  readonly value: Buffer | null;
  readonly headers: IHeaders;
  readonly partition: number;
}

export async function readAll(kafka: Kafka, admin: Admin, topic: string, groupId: string): Promise<RawRecord[]> {
  const ends = new Map(
    (await admin.fetchTopicOffsets(topic)).filter((p) => p.high !== p.low).map((p) => [p.partition, BigInt(p.high)]),
  );
  const out: RawRecord[] = [];
  if (ends.size === 0) return out;
  const reader = kafka.consumer({ groupId, maxWaitTimeInMs: 50 });
  await reader.connect();
  try {
    await reader.subscribe({ topics: [topic], fromBeginning: true });
    await new Promise<void>((resolve) => {
      void reader.run({
        eachMessage: async ({ partition, message }) => {
          out.push({
            key: message.key?.toString() ?? null,
            value: message.value,
            headers: message.headers ?? {},
            partition,
          });
          if (BigInt(message.offset) + 1n >= (ends.get(partition) ?? 0n)) ends.delete(partition);
          if (ends.size === 0) resolve();
        },
      });
    });
  } finally {
    await reader.disconnect();
    await admin.deleteGroups([groupId]).catch(() => undefined);
  }
  return out;
}
