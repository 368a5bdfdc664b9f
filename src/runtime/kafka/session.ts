// One Kafka session for work outside a stage (the CLI's commands, tests, benchmarks): one kafkajs client, one
// idempotent producer and one admin client, each connected on first use, and one registry codec, so that a command
// that submits, then follows, opens each connection once and registers each schema once. Consumers are per read
// (a consumer belongs to one group), made from the same client.
import type { Admin, Producer } from 'kafkajs';
import type { Config } from '../../config/config.ts';
import { requireKafka, requireRegistry } from '../../config/config.ts';
import { createRegistryCodec, type Codec } from '../../schemas/codec.ts';
import { createKafka, type Kafka } from './client.ts';
import { stagePartitioner } from './partitioner.ts';

export interface KafkaSession {
  /** Prepended to every topic name (TOPIC_PREFIX). */
  readonly prefix: string;
  readonly kafka: Kafka;
  /** The registry codec (CONFIG_INVALID naming SCHEMA_REGISTRY_URL when it is not set). */
  readonly codec: Codec;
  producer(): Promise<Producer>;
  admin(): Promise<Admin>;
  close(): Promise<void>;
}

/** Where work outside a stage gets its connections: a session, or a configuration to open one for a single call. */
export type KafkaSource = Config | KafkaSession;

/** Nothing connects until the first use; close() disconnects what was connected. */
export function openKafkaSession(config: Config, clientSuffix = 'cli'): KafkaSession {
  const kafka = createKafka(requireKafka(config), clientSuffix);
  let codec: Codec | undefined;
  let producer: Promise<Producer> | undefined;
  let admin: Promise<Admin> | undefined;
  const connected = <T extends { connect(): Promise<void> }>(client: T): Promise<T> =>
    client.connect().then(() => client);
  return {
    prefix: config.topics.prefix,
    kafka,
    get codec() {
      codec ??= createRegistryCodec({ ...requireRegistry(config), topicPrefix: config.topics.prefix });
      return codec;
    },
    producer: () =>
      (producer ??= connected(
        // The stages' partitioner: a key lands on the partition a stage's own producer would choose.
        kafka.producer({
          idempotent: true,
          maxInFlightRequests: 1,
          createPartitioner: stagePartitioner(config.topics.prefix),
        }),
      )),
    admin: () => (admin ??= connected(kafka.admin())),
    async close() {
      const open = [producer, admin].filter((c): c is Promise<Producer> | Promise<Admin> => c !== undefined);
      producer = admin = undefined;
      await Promise.allSettled(open.map(async (c) => (await c).disconnect()));
    },
  };
}

function isSession(source: KafkaSource): source is KafkaSession {
  return 'kafka' in source && 'producer' in source && typeof source.producer === 'function';
}

/** Runs `work` on the session given, or on one opened for it and closed afterwards. */
export async function withSession<T>(
  source: KafkaSource,
  clientSuffix: string,
  work: (session: KafkaSession) => Promise<T>,
): Promise<T> {
  if (isSession(source)) return work(source);
  const session = openKafkaSession(source, clientSuffix);
  try {
    return await work(session);
  } finally {
    await session.close();
  }
}
