// The ledger of re-drives (topic `dlq-redrives`): each dead letter `asmvs dlq redrive` sent back is recorded there,
// keyed by its position and timestamp, once its source topic has acknowledged it; a later re-drive skips what the ledger holds
// unless told to send it again (--again). A re-drive that stops between the two writes leaves records sent but not
// recorded: the next one sends them again (at least once, as without a ledger). A cluster made before the ledger
// (no topic) re-drives as before, without skipping, and says so.
import { AsmvsError } from '../errors.ts';
import { publishRaw } from '../runtime/kafka/publish.ts';
import { readRecordsToEnd, topicBoundsOf, type RawRecord } from '../runtime/kafka/read-records.ts';
import type { KafkaSession } from '../runtime/kafka/session.ts';
import { REDRIVES_TOPIC } from '../topics.ts';
import { REDRIVE_HEADERS } from './dead-letters.ts';

/**
 * A dead letter's key in the ledger: its topic's logical name, its position there and its timestamp (a dead-letter
 * topic deleted and made again reuses positions; its new records are not the ones re-driven). Pure.
 */
export function ledgerKey(deadLetterTopic: string, partition: number, offset: string, timestamp: number): string {
  return `${deadLetterTopic}/${partition}/${offset}@${timestamp}`;
}

/** Every key in the ledger (ledgerKey's); null when the ledger topic does not exist. */
export async function ledgerKeys(session: KafkaSession, signal: AbortSignal): Promise<Set<string> | null> {
  const physical = session.prefix + REDRIVES_TOPIC;
  const bounds = await topicBoundsOf(session, physical).catch((error: unknown) => {
    if (error instanceof AsmvsError && error.code === 'TOPIC_MISSING') return null;
    throw error;
  });
  if (bounds === null) return null;
  const keys = new Set<string>();
  // an empty ledger is not read: each read joins a group
  if (Object.values(bounds).every((b) => b.low === b.high)) return keys;
  await readRecordsToEnd(session, physical, { signal }, (r) => {
    if (r.key) keys.add(r.key.toString('utf8'));
  });
  return keys;
}

/** Records in the ledger that these dead letters of `deadLetterTopic` were sent to `to` at `at`. */
export async function recordRedrives(
  session: KafkaSession,
  deadLetterTopic: string,
  sent: readonly {
    readonly record: Pick<RawRecord, 'partition' | 'offset' | 'timestamp'>;
    readonly code: string | null;
  }[],
  to: string,
  at: Date,
): Promise<void> {
  if (sent.length === 0) return;
  await publishRaw(
    session,
    session.prefix + REDRIVES_TOPIC,
    sent.map(({ record: r, code }) => ({
      key: Buffer.from(ledgerKey(deadLetterTopic, r.partition, r.offset, r.timestamp)),
      value: null,
      headers: {
        [REDRIVE_HEADERS.at]: at.toISOString(),
        [REDRIVE_HEADERS.to]: to,
        ...(code !== null ? { [REDRIVE_HEADERS.code]: code } : {}),
      },
    })),
  );
}
