// The kafkajs consumer and producer of one stage, with the settings the runner's guarantees rely on.
import kafkajs, { type Consumer, type Producer } from 'kafkajs';
import type { Kafka } from './client.ts';
import { DEFAULT_HEARTBEAT_INTERVAL_MS, DEFAULT_SESSION_TIMEOUT_MS } from '../../config/schema.ts';
import { interleavedAssigner } from './interleaved-assigner.ts';
import { stagePartitioner } from './partitioner.ts';

export interface ConsumerTuning {
  readonly sessionTimeoutMs?: number;
  readonly heartbeatIntervalMs?: number;
  readonly rebalanceTimeoutMs?: number;
  /** How long an idle fetch waits at the broker; data returns at once (minBytes 1), so this bounds idle loops. */
  readonly maxWaitTimeInMs?: number;
  /** Where a new group starts: the beginning (default), so events produced before the first start are handled. */
  readonly fromBeginning?: boolean;
  readonly maxBytesPerPartition?: number;
}

export function createStageClients(
  kafka: Kafka,
  o: {
    groupId: string;
    exactlyOnce: boolean;
    transactionalId: string;
    /** TOPIC_PREFIX: which physical topics are partitioned by address (src/topics.ts). */
    prefix: string;
    tuning: ConsumerTuning | undefined;
  },
): { consumer: Consumer; producer: Producer; newProducer: () => Producer; fromBeginning: boolean } {
  const t = o.tuning ?? {};
  const consumer = kafka.consumer({
    groupId: o.groupId,
    // Partitions dealt in id order; kafkajs' round-robin second, so that a group mixing versions still agrees on one.
    partitionAssigners: [interleavedAssigner, kafkajs.PartitionAssigners.roundRobin],
    sessionTimeout: t.sessionTimeoutMs ?? DEFAULT_SESSION_TIMEOUT_MS,
    heartbeatInterval: t.heartbeatIntervalMs ?? DEFAULT_HEARTBEAT_INTERVAL_MS,
    rebalanceTimeout: t.rebalanceTimeoutMs ?? 60_000,
    maxWaitTimeInMs: t.maxWaitTimeInMs ?? 50,
    minBytes: 1,
    maxBytesPerPartition: t.maxBytesPerPartition ?? 262_144,
    // Small fetches: an in-flight message keeps its whole fetch response alive, so big responses cost memory.
    maxBytes: 1_048_576,
    // Outputs of exactly-once stages are visible only once their transaction commits.
    readUncommitted: false,
    allowAutoTopicCreation: false,
  });
  const newProducer = (): Producer =>
    kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
      // The Java client's murmur2 partitioner (kafkajs' DefaultPartitioner, cheaper), and address keys by value where
      // src/topics.ts says so: a key lands on the same partition whichever asmvs producer wrote it.
      createPartitioner: stagePartitioner(o.prefix),
      ...(o.exactlyOnce ? { transactionalId: o.transactionalId, transactionTimeout: 30_000 } : {}),
    });
  return { consumer, producer: newProducer(), newProducer, fromBeginning: t.fromBeginning ?? true };
}
