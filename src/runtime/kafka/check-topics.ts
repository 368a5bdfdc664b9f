// A stage checks, before it joins its group, that every topic it reads or writes exists (keyed-state included).
// The broker does not create topics on demand (auto.create.topics.enable=false, as it should be in production), so a
// missing output or dead-letter topic would otherwise surface only at the first publish, as a send retried for ever
// while the offsets wait: the stage would look stuck rather than misconfigured.
import { AsmvsError } from '../../errors.ts';
import type { Kafka } from './client.ts';

/** The topics of `needed` that the cluster does not have, in the order given. Pure, for tests. */
export function missingTopics(needed: readonly string[], existing: readonly string[]): string[] {
  const have = new Set(existing);
  return [...new Set(needed)].filter((t) => !have.has(t));
}

/** Throws TOPIC_MISSING naming every missing topic; a broker that does not answer throws kafkajs's own error. */
export async function checkTopicsExist(kafka: Kafka, needed: readonly string[]): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const missing = missingTopics(needed, await admin.listTopics());
    if (missing.length > 0)
      throw new AsmvsError(
        'TOPIC_MISSING',
        `${missing.length === 1 ? 'topic' : 'topics'} ${missing.join(', ')} ${missing.length === 1 ? 'does' : 'do'} not exist (asmvs topics create)`,
      );
  } finally {
    await admin.disconnect();
  }
}
