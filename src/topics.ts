// Every topic asmvs uses, with its key, value schema and retention policy (DESIGN.md §1). Pure data;
// runtime/kafka/provision-topics.ts creates them.
import { DAY_MS } from './durations.ts';
import type { SchemaTopic } from './schemas/registry-files.ts';

export interface TopicSpec {
  /** Logical name; the physical name is TOPIC_PREFIX + name. */
  readonly name: string;
  /** The Avro value schema (subject `<topic>-value`); null for dead-letter topics, which keep the original bytes. */
  readonly schema: SchemaTopic | null;
  readonly key: string;
  /** How a key chooses its partition (the producers' partitioner, runtime/kafka/partitioner.ts). */
  readonly partitioning: Partitioning;
  readonly configs: Readonly<Record<string, string>>;
}

/**
 * `murmur2`: the Java client's hash of the key, as every Kafka client does it. `address`: the key is a canonical IP
 * address and its partition is the address's value modulo the partition count, so a range's consecutive addresses
 * take the partitions in turn: a range splits evenly between copies. Hashed, a /22 over 12 partitions split 516/508
 * between two host_scan copies, and the copy with 516 ran a third wave of `HOST_SCAN_HOSTS` hosts for its last four.
 * Either way a key always lands on one partition.
 */
export type Partitioning = 'murmur2' | 'address';

/** The topics whose keys are addresses and are spread by their value (see `Partitioning`). */
export const ADDRESS_PARTITIONED: ReadonlySet<string> = new Set<SchemaTopic>(['host-scans']);

const compacted = { 'cleanup.policy': 'compact', 'min.compaction.lag.ms': String(60_000) };
const week = { 'cleanup.policy': 'delete', 'retention.ms': String(7 * DAY_MS) };

export function dlqOf(topic: string): string {
  return `${topic}.dlq`;
}

/** `inputTopics`: the topics a stage consumes (src/topology.ts), each of which gets a dead-letter topic. */
export function topicSpecs(
  options: { rawFindingsRetentionMs: number },
  inputTopics: readonly SchemaTopic[],
): TopicSpec[] {
  const event = (name: SchemaTopic, key: string, configs: Record<string, string>): TopicSpec => ({
    name,
    schema: name,
    key,
    partitioning: ADDRESS_PARTITIONED.has(name) ? 'address' : 'murmur2',
    configs,
  });
  const events: TopicSpec[] = [
    event('discovery-requests', 'request id', week),
    // One item per address of a request: keyed by address, partitioned by its value, so that a range spreads evenly
    // over the partitions.
    event('host-scans', 'address', week),
    event('discovery-progress', 'request id', week),
    event('assets', 'asset id', compacted),
    event('scan-requests', 'asset id', week),
    event('scan-jobs', 'scan id', week),
    event('raw-findings', 'asset id', {
      'cleanup.policy': 'delete',
      'retention.ms': String(options.rawFindingsRetentionMs),
    }),
    event('normalized-findings', 'finding fingerprint', compacted),
    event('job-status', 'request id', compacted),
    event('asset-changes', 'asset id', { 'cleanup.policy': 'delete', 'retention.ms': String(30 * DAY_MS) }),
    event('scan-results', 'asset key', week),
    // The latest event per target is its schedule; a REMOVE stays a day so that every copy sees it.
    event('monitors', 'monitor id (the canonical target)', { ...compacted, 'delete.retention.ms': String(DAY_MS) }),
    // Timers and per-key state of the stages that keep them (runtime/kafka/keyed-store.ts): written to the input
    // key's partition, so it needs at least as many partitions as any input topic.
    event('keyed-state', '<stage>/<input key>', { ...compacted, 'min.compaction.lag.ms': '0' }),
  ];
  const deadLetters: TopicSpec[] = inputTopics.map((topic) => ({
    name: dlqOf(topic),
    schema: null,
    key: `as in ${topic}`,
    partitioning: 'murmur2',
    configs: { 'cleanup.policy': 'delete', 'retention.ms': String(30 * DAY_MS) },
  }));
  return [...events, ...deadLetters];
}
