// `asmvs dlq list|show|redrive`: the dead-letter topics operated. list counts each topic's records per error code;
// show prints records with their failure decoded and their value decoded with the source topic's schema; redrive
// sends selected records back to the source topic as they were (key, value bytes, original headers) with headers
// saying where from and when, once the cause is fixed; each one sent is recorded in the ledger of re-drives, and a
// later re-drive skips it unless told to send it again. Every read stops at the end the topic had when it began.
import { AsmvsError } from '../errors.ts';
import { headersAsStrings } from '../runtime/dead-letter.ts';
import { publishRaw } from '../runtime/kafka/publish.ts';
import { readRecordsToEnd, topicBoundsOf, type RawRecord } from '../runtime/kafka/read-records.ts';
import type { KafkaSession } from '../runtime/kafka/session.ts';
import { INPUT_TOPICS } from '../topology.ts';
import { dlqOf } from '../topics.ts';
import { failureOf, originalHeaders, redriveHeaders, selects, type Failure, type Selection } from './dead-letters.ts';
import { ledgerKey, ledgerKeys, recordRedrives } from './redrive-ledger.ts';
import { tailRecord, topicRef, type TopicRef } from './tail.ts';

export interface DeadLetterCounts {
  readonly topic: string;
  /** Records retained (what the offsets span; compaction never applies to dead-letter topics). */
  readonly records: number;
  readonly byCode: Readonly<Record<string, number>>;
  /** Of the records, those a re-drive sent back (the ledger of re-drives says so; 0 without one). */
  readonly redriven: number;
  /** false: the topic does not exist (`asmvs topics create` makes it). */
  readonly exists: boolean;
}

/** The dead-letter topics `dlq` knows: one per stage input. */
export function deadLetterTopics(): string[] {
  return INPUT_TOPICS.map(dlqOf);
}

export function deadLetterRef(name: string, prefix: string): TopicRef {
  const ref = topicRef(name.endsWith('.dlq') ? name : dlqOf(name), prefix);
  if (!ref.deadLetters) throw new AsmvsError('USAGE', `${name} is not a dead-letter topic`);
  return ref;
}

export async function countDeadLetters(
  session: KafkaSession,
  refs: readonly TopicRef[],
  signal: AbortSignal,
): Promise<DeadLetterCounts[]> {
  const out: DeadLetterCounts[] = [];
  let ledger: Set<string> | null | undefined; // read once, at the first topic with records
  for (const ref of refs) {
    const bounds = await topicBoundsOf(session, ref.physical).catch((error: unknown) => {
      if (error instanceof AsmvsError && error.code === 'TOPIC_MISSING') return undefined;
      throw error;
    });
    if (!bounds) {
      out.push({ topic: ref.name, records: 0, byCode: {}, redriven: 0, exists: false });
      continue;
    }
    const retained = Object.values(bounds).reduce((n, b) => n + Number(BigInt(b.high) - BigInt(b.low)), 0);
    const byCode: Record<string, number> = {};
    let records = 0;
    let redriven = 0;
    // Only a topic with records is read: most dead-letter topics are empty, and each read joins a group.
    if (retained > 0) {
      ledger ??= await ledgerKeys(session, signal);
      await readRecordsToEnd(session, ref.physical, { signal }, (r) => {
        const code = failureOf(headersAsStrings(r.headers)).code ?? '(none)';
        byCode[code] = (byCode[code] ?? 0) + 1;
        records += 1;
        if (ledger?.has(ledgerKey(ref.name, r.partition, r.offset, r.timestamp))) redriven += 1;
      });
    }
    out.push({ topic: ref.name, records, byCode, redriven, exists: true });
  }
  return out;
}

export interface DeadLetter {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
  readonly timestamp: string;
  readonly key: string | null;
  readonly failure: Failure;
  /** The headers the source record carried. */
  readonly headers: Record<string, string>;
  readonly value?: unknown;
  readonly error?: { readonly code: string; readonly message: string };
}

export interface ShowOptions {
  readonly selection: Selection;
  readonly signal: AbortSignal;
}

export async function showDeadLetters(
  session: KafkaSession,
  ref: TopicRef,
  options: ShowOptions,
  onRecord: (d: DeadLetter) => 'stop' | void,
): Promise<void> {
  const codec = session.codec;
  await readRecordsToEnd(session, ref.physical, { signal: options.signal }, async (r) => {
    const headers = headersAsStrings(r.headers);
    const failure = failureOf(headers);
    if (!selects(options.selection, r.partition, r.offset, failure.code)) return undefined;
    const record = await tailRecord(codec, ref, r);
    return onRecord({ ...record, failure, headers: originalHeaders(record.headers) });
  });
}

export interface RedriveResult {
  readonly source: string;
  readonly redriven: readonly { readonly partition: number; readonly offset: string; readonly code: string | null }[];
  /** Selected records whose failure names another source topic: not sent. */
  readonly refused: readonly { readonly partition: number; readonly offset: string; readonly sourceTopic: string }[];
  /** Selected records a re-drive sent before (the ledger says so): not sent again unless `again`. */
  readonly skipped: readonly { readonly partition: number; readonly offset: string }[];
  /** false: there is no ledger topic (a cluster made before it), so nothing could be skipped or recorded. */
  readonly ledger: boolean;
}

const BATCH = 500;

export async function redriveDeadLetters(
  session: KafkaSession,
  ref: TopicRef,
  options: {
    readonly selection: Selection;
    readonly dryRun: boolean;
    /** Send records a re-drive sent before, too. */
    readonly again?: boolean;
    readonly signal: AbortSignal;
    readonly now: Date;
  },
): Promise<RedriveResult> {
  const source = session.prefix + ref.schema;
  const redriven: RedriveResult['redriven'][number][] = [];
  const refused: RedriveResult['refused'][number][] = [];
  const skipped: RedriveResult['skipped'][number][] = [];
  const before = await ledgerKeys(session, options.signal);
  // the records to send, each with the code it failed with (read once, from its headers)
  let batch: { readonly record: RawRecord; readonly code: string | null }[] = [];
  const flush = async () => {
    if (batch.length > 0 && !options.dryRun) {
      await publishRaw(
        session,
        source,
        batch.map(({ record: r, code }) => ({
          key: r.key,
          value: r.value,
          headers: redriveHeaders(
            r.headers,
            { topic: ref.physical, partition: r.partition, offset: r.offset },
            code,
            options.now,
          ),
        })),
      );
      // recorded once the source topic has them (a stop in between sends them again next time)
      if (before !== null) await recordRedrives(session, ref.name, batch, source, options.now);
    }
    batch = [];
  };
  await readRecordsToEnd(session, ref.physical, { signal: options.signal }, async (r) => {
    const failure = failureOf(headersAsStrings(r.headers));
    if (!selects(options.selection, r.partition, r.offset, failure.code)) return;
    // A record goes back only where it came from: the topic this dead-letter topic belongs to.
    if (failure.sourceTopic !== null && failure.sourceTopic !== source) {
      refused.push({ partition: r.partition, offset: r.offset, sourceTopic: failure.sourceTopic });
      return;
    }
    if (!options.again && before?.has(ledgerKey(ref.name, r.partition, r.offset, r.timestamp))) {
      skipped.push({ partition: r.partition, offset: r.offset });
      return;
    }
    redriven.push({ partition: r.partition, offset: r.offset, code: failure.code });
    batch.push({ record: r, code: failure.code });
    if (batch.length >= BATCH) await flush();
  });
  await flush();
  return { source, redriven, refused, skipped, ledger: before !== null };
}
