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
  readonly configs: Readonly<Record<string, string>>;
}

/**
 * The topics whose keys are canonical IP addresses placed by value: an address's partition is its value modulo the
 * partition count (runtime/kafka/partitioner.ts), so a range's consecutive addresses take the partitions in turn and
 * a range splits evenly between copies. Every other key goes where the Java client's murmur2 hash puts it. Hashed, a
 * /22 over 12 partitions split 516/508 between two host_scan copies, and the copy with 516 ran a third wave of
 * `HOST_SCAN_HOSTS` hosts for its last four. Either way a key always lands on one partition.
 */
export const ADDRESS_PARTITIONED: ReadonlySet<string> = new Set<SchemaTopic>(['host-scans']);

const compacted = { 'cleanup.policy': 'compact', 'min.compaction.lag.ms': String(60_000) };
const week = { 'cleanup.policy': 'delete', 'retention.ms': String(7 * DAY_MS) };

/**
 * What a raw-findings record may weigh (max.message.bytes of raw-findings and of its dead-letter topic): a scanner's
 * whole output in one record, up to the built-in scanners' 8 MiB cap and a platform report's (its answer is capped
 * at 16 MiB of JSON, the report base64 inside it). Every other topic keeps the broker's default, 1 MiB; a stage
 * dead-letters an output larger than its topic takes (OUTPUT_TOO_LARGE).
 */
export const RAW_FINDINGS_MAX_BYTES = 16 * 1024 * 1024;

export function dlqOf(topic: string): string {
  return `${topic}.dlq`;
}

/** How long a dead letter is kept, and so how long the record of its re-drive is worth keeping. */
const DEAD_LETTER_RETENTION_MS = 30 * DAY_MS;

/**
 * The ledger of re-drives (`asmvs dlq redrive`): one record per dead letter sent back, keyed by its position and
 * timestamp, so that a second re-drive skips what the first sent (src/app/redrive-ledger.ts). No schema: a key and
 * headers.
 */
export const REDRIVES_TOPIC = 'dlq-redrives';

/** The max.message.bytes the topics below declare for `topic` (a logical name), or undefined (the broker's). */
export function declaredMaxMessageBytes(topic: string): number | undefined {
  return topic === 'raw-findings' || topic === dlqOf('raw-findings') ? RAW_FINDINGS_MAX_BYTES : undefined;
}

/** `topic`'s declared size as a topic config, or no config (the broker's default). */
function sizeConfig(topic: string): Record<string, string> {
  const bytes = declaredMaxMessageBytes(topic);
  return bytes === undefined ? {} : { 'max.message.bytes': String(bytes) };
}

/** Of `writes` (logical name, physical name), the physical names of those that declare a size, with it. */
export function declaredSizes(writes: readonly (readonly [string, string])[]): Map<string, number> {
  const sizes = new Map<string, number>();
  for (const [logical, physical] of writes) {
    const bytes = declaredMaxMessageBytes(logical);
    if (bytes !== undefined) sizes.set(physical, bytes);
  }
  return sizes;
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
      ...sizeConfig('raw-findings'),
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
    // a dead letter keeps its input's bytes, so it takes what its input topic takes
    configs: {
      'cleanup.policy': 'delete',
      'retention.ms': String(DEAD_LETTER_RETENTION_MS),
      ...sizeConfig(dlqOf(topic)),
    },
  }));
  const redrives: TopicSpec = {
    name: REDRIVES_TOPIC,
    schema: null,
    key: '<dead-letter topic>/<partition>/<offset>@<timestamp>',
    // kept as long as the dead letters it speaks of (a re-drive comes after its dead letter)
    configs: { 'cleanup.policy': 'delete', 'retention.ms': String(DEAD_LETTER_RETENTION_MS) },
  };
  return [...events, ...deadLetters, redrives];
}
