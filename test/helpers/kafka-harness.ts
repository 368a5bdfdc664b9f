// Integration harness on the real stack: unique topics (raw-findings in, normalized-findings out, the DLQ), a
// producer of encoded events, a read-committed reader of outputs, committed offsets, and cleanup of topics,
// groups and registry subjects.
import { createTopicsSettled } from '../../src/runtime/kafka/create-topics.ts';
import { declaredMaxMessageBytes, dlqOf } from '../../src/topics.ts';
import kafkajs from 'kafkajs';
import pinoLogger from 'pino';
import type { Admin, Consumer, IHeaders, Producer } from 'kafkajs';
import { createKafka, type Kafka } from '../../src/runtime/kafka/client.ts';
import { createRegistryCodec, subjectOf, type Codec } from '../../src/schemas/codec.ts';
import type { Config } from '../../src/config/config.ts';
import type { Finding } from '../../src/schemas/types.gen.ts';
import { stackConfig, uniquePrefix, SCHEMA_REGISTRY_URL } from './stack.ts';
import { rawFinding } from './fixtures/events.ts';
import { readAll, type RawRecord } from './read-all.ts';

export interface Harness {
  readonly prefix: string;
  readonly config: Config;
  readonly kafka: Kafka;
  readonly codec: Codec;
  readonly admin: Admin;
  readonly input: string;
  readonly output: string;
  readonly dlq: string;
  readonly groupId: string;
  produceRaw(items: readonly { key: string; seq: number; headers?: IHeaders }[]): Promise<void>;
  produceBytes(key: string, value: Buffer, headers?: IHeaders): Promise<void>;
  /** Reads a topic from the beginning (read committed) until `count` records or the timeout. */
  read(
    topic: string,
    count: number,
    timeoutMs: number,
  ): Promise<{ key: string | null; value: Buffer | null; headers: IHeaders; partition: number; offset: string }[]>;
  /** Every record of a topic up to its end as of the call (a throw-away group, read committed). */
  readAll(topic: string): Promise<RawRecord[]>;
  /** The outputs' fingerprints (distinct and duplicated) and the dead letters, read to the end. */
  delivered(): Promise<{ outputs: number; distinct: number; duplicates: number; deadLetters: number }>;
  decodeFinding(bytes: Buffer): Promise<Finding>;
  /** Sum over partitions of the group's committed offsets on the input (unset counts 0). */
  committed(groupId?: string): Promise<number>;
  close(): Promise<void>;
}

export async function createHarness(
  label: string,
  /** `alsoTopics`: more topics (logical names) to create, e.g. the other outputs of a real stage run on the harness. */
  options: { partitions?: number; env?: Record<string, string>; alsoTopics?: readonly string[] } = {},
): Promise<Harness> {
  const prefix = uniquePrefix(label);
  const config = stackConfig({ TOPIC_PREFIX: prefix, ...(options.env ?? {}) });
  const kafka = createKafka(config.kafka as NonNullable<Config['kafka']>, `test-${label}`);
  const codec = createRegistryCodec({ url: SCHEMA_REGISTRY_URL, topicPrefix: prefix });
  await codec.register(['raw-findings', 'normalized-findings']);
  const admin = kafka.admin();
  await admin.connect();
  const input = `${prefix}raw-findings`;
  const output = `${prefix}normalized-findings`;
  const dlq = `${input}.dlq`;
  const partitions = options.partitions ?? 4;
  const logical = ['raw-findings', 'normalized-findings', dlqOf('raw-findings'), ...(options.alsoTopics ?? [])];
  const topics = logical.map((t) => prefix + t);
  // each with the size the pipeline declares for it (src/topics.ts), as `asmvs topics create` makes them
  await createTopicsSettled(
    admin,
    logical.map((topic) => {
      const bytes = declaredMaxMessageBytes(topic);
      return {
        topic: prefix + topic,
        numPartitions: partitions,
        replicationFactor: 1,
        ...(bytes === undefined ? {} : { configEntries: [{ name: 'max.message.bytes', value: String(bytes) }] }),
      };
    }),
  );
  const producer: Producer = kafka.producer({
    idempotent: true,
    maxInFlightRequests: 1,
    createPartitioner: kafkajs.Partitioners.DefaultPartitioner,
  });
  await producer.connect();
  const readers: Consumer[] = [];
  const groupId = `${prefix}asmvs.test_echo`;
  let reads = 0;

  const harness: Harness = {
    prefix,
    config,
    kafka,
    codec,
    admin,
    input,
    output,
    dlq,
    groupId,
    async produceRaw(items) {
      for (let i = 0; i < items.length; i += 2_000) {
        const messages = items.slice(i, i + 2_000).map((it) => ({
          key: it.key,
          value: codec.encode('raw-findings', rawFinding(it.key, it.seq)),
          headers: it.headers ?? {},
        }));
        await producer.send({ topic: input, acks: -1, messages });
      }
    },
    async produceBytes(key, value, headers = {}) {
      await producer.send({ topic: input, acks: -1, messages: [{ key, value, headers }] });
    },
    async read(topic, count, timeoutMs) {
      const reader = kafka.consumer({
        groupId: `${prefix}reader-${readers.length}`,
        maxWaitTimeInMs: 50,
        readUncommitted: false,
      });
      readers.push(reader);
      await reader.connect();
      await reader.subscribe({ topics: [topic], fromBeginning: true });
      const out: Awaited<ReturnType<Harness['read']>> = [];
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, timeoutMs);
        void reader.run({
          eachMessage: async ({ message, partition }) => {
            out.push({
              key: message.key?.toString() ?? null,
              value: message.value,
              headers: message.headers ?? {},
              partition,
              offset: message.offset,
            });
            if (out.length >= count) {
              clearTimeout(timer);
              resolve();
            }
          },
        });
      });
      await reader.disconnect();
      return out;
    },
    readAll: (topic) => readAll(kafka, admin, topic, `${prefix}read-all-${(reads += 1)}`),
    async delivered() {
      const records = await this.readAll(output);
      const ids = await Promise.all(
        records.map(async (r) => (await this.decodeFinding(r.value as Buffer)).fingerprint),
      );
      const distinct = new Set(ids).size;
      const deadLetters = (await this.readAll(dlq)).length;
      return { outputs: ids.length, distinct, duplicates: ids.length - distinct, deadLetters };
    },
    decodeFinding: async (bytes) => codec.decode('normalized-findings', bytes),
    async committed(g = groupId) {
      const offsets = await admin.fetchOffsets({ groupId: g, topics: [input] });
      return (offsets[0]?.partitions ?? []).reduce((sum, p) => sum + Math.max(0, Number(p.offset)), 0);
    },
    async close() {
      await producer.disconnect().catch(() => undefined);
      for (const r of readers) await r.disconnect().catch(() => undefined);
      const groups = (await admin.listGroups()).groups.map((g) => g.groupId).filter((g) => g.startsWith(prefix));
      await admin.deleteGroups(groups).catch(() => undefined);
      await admin.deleteTopics({ topics }).catch(() => undefined);
      await admin.disconnect();
      for (const topic of ['raw-findings', 'normalized-findings']) {
        const url = `${SCHEMA_REGISTRY_URL}/subjects/${encodeURIComponent(subjectOf(topic, prefix))}`;
        await fetch(url, { method: 'DELETE' }).catch(() => undefined);
        await fetch(`${url}?permanent=true`, { method: 'DELETE' }).catch(() => undefined);
      }
    },
  };
  return harness;
}

/** Findings grouped by key with their sequence numbers in read order. */
export async function sequencesByKey(
  h: Harness,
  records: readonly { key: string | null; value: Buffer | null }[],
): Promise<Map<string, number[]>> {
  const byKey = new Map<string, number[]>();
  for (const r of records) {
    const f = await h.decodeFinding(r.value as Buffer);
    byKey.set(r.key ?? '', [...(byKey.get(r.key ?? '') ?? []), f.occurrences]);
  }
  return byKey;
}

/** A pino logger whose JSON lines are kept, to watch a runner's assignments. */
export function capturingLogger(): { logger: import('pino').Logger; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  const logger = pinoLogger(
    { level: 'info' },
    { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) },
  );
  return { logger, lines };
}

export async function until(check: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
