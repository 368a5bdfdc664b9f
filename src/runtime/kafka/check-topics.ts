// A stage checks, before it joins its group, that every topic it reads or writes exists (keyed-state included).
// The broker does not create topics on demand (auto.create.topics.enable=false, as it should be in production), so a
// missing output or dead-letter topic would otherwise surface only at the first publish, as a send retried for ever
// while the offsets wait: the stage would look stuck rather than misconfigured.
// It also learns how large a record each topic it writes takes (max.message.bytes): a larger output is refused by
// the broker for good, so the stage dead-letters its event (OUTPUT_TOO_LARGE) instead of publishing it.
import { AsmvsError } from '../../errors.ts';
import type { Logger } from '../../processor.ts';
import type { Kafka } from './client.ts';
import { kafkaError } from './kafka-errors.ts';
import { DEFAULT_MAX_MESSAGE_BYTES } from './record-bytes.ts';

/** The topics of `needed` that the cluster does not have, in the order given. Pure, for tests. */
export function missingTopics(needed: readonly string[], existing: readonly string[]): string[] {
  const have = new Set(existing);
  return [...new Set(needed)].filter((t) => !have.has(t));
}

/** Each topic's max.message.bytes as described (a value that is not a positive integer is left out). Pure. */
export function messageLimits(
  resources: readonly { resourceName: string; configEntries: readonly { configName: string; configValue: string }[] }[],
): Map<string, number> {
  const limits = new Map<string, number>();
  for (const r of resources)
    for (const e of r.configEntries) {
      const bytes = Number(e.configValue);
      if (e.configName === 'max.message.bytes' && Number.isSafeInteger(bytes) && bytes > 0)
        limits.set(r.resourceName, bytes);
    }
  return limits;
}

/** The topics of `declared` (a size each) that take less than it, with what they take. Pure. */
export function undersizedTopics(
  limits: ReadonlyMap<string, number>,
  declared: ReadonlyMap<string, number>,
): { topic: string; takes: number; declared: number }[] {
  const out: { topic: string; takes: number; declared: number }[] = [];
  for (const [topic, bytes] of declared) {
    const takes = limits.get(topic);
    if (takes !== undefined && takes < bytes) out.push({ topic, takes, declared: bytes });
  }
  return out;
}

/**
 * Throws TOPIC_MISSING naming every missing topic; a broker that does not answer throws kafkajs's own error.
 * Returns the max.message.bytes of each of `written`: the broker's default for a topic it would not describe (a
 * cluster whose ACLs do not grant DescribeConfigs), with a warning; a broker that did not answer throws. A written
 * topic that takes less than `declared` gives it (a cluster made before it was declared) is warned about.
 */
export async function checkTopics(
  kafka: Kafka,
  needed: readonly string[],
  written: readonly string[],
  log: Logger,
  declared: ReadonlyMap<string, number> = new Map(),
): Promise<ReadonlyMap<string, number>> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const missing = missingTopics(needed, await admin.listTopics());
    if (missing.length > 0)
      throw new AsmvsError(
        'TOPIC_MISSING',
        `${missing.length === 1 ? 'topic' : 'topics'} ${missing.join(', ')} ${missing.length === 1 ? 'does' : 'do'} not exist (asmvs topics create)`,
      );
    const topics = [...new Set(written)];
    const limits = await admin
      .describeConfigs({
        includeSynonyms: false,
        resources: topics.map((name) => ({ type: 2 /* TOPIC */, name, configNames: ['max.message.bytes'] })),
      })
      .then(
        (described) => messageLimits(described.resources),
        (error: unknown) => {
          // A broker that does not answer is waited for (the start's outage-aware step tries again); a refusal
          // (ACLs) is not going to change.
          if (kafkaError(error, 'describing topic configs') instanceof AsmvsError) throw error;
          log.warn(
            { err: error },
            `topic configs not described; taking max.message.bytes ${DEFAULT_MAX_MESSAGE_BYTES}`,
          );
          return new Map<string, number>();
        },
      );
    for (const t of topics) if (!limits.has(t)) limits.set(t, DEFAULT_MAX_MESSAGE_BYTES);
    for (const u of undersizedTopics(limits, declared))
      log.warn(
        { topic: u.topic, maxMessageBytes: u.takes, declared: u.declared },
        `topic ${u.topic} takes records of ${u.takes} bytes at most, not the ${u.declared} asmvs declares: larger outputs are dead-lettered as OUTPUT_TOO_LARGE (asmvs topics create raises it; then restart this stage)`,
      );
    return limits;
  } finally {
    await admin.disconnect();
  }
}
