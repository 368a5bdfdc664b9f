// `asmvs tail <topic>`: the records of an event topic or of a dead-letter topic (`<topic>.dlq`, whose values are the
// original bytes of the source topic, decoded with its schema), with partition, offset, time, key and headers; from
// the end, the beginning, an offset or the last N of each partition, until interrupted or, with toEnd, the end the
// topic had when the read began (kcat -e).
import { AsmvsError } from '../errors.ts';
import { headersAsStrings } from '../runtime/dead-letter.ts';
import { decodeValue } from '../runtime/kafka/read-topic.ts';
import {
  readRecords,
  readRecordsToEnd,
  topicBoundsOf,
  type PartitionBounds,
  type RawRecord,
} from '../runtime/kafka/read-records.ts';
import type { KafkaSession } from '../runtime/kafka/session.ts';
import type { Codec } from '../schemas/codec.ts';
import { SCHEMA_TOPICS, type SchemaTopic } from '../schemas/registry-files.ts';
import { INPUT_TOPICS } from '../topology.ts';
import { dlqOf } from '../topics.ts';

/** A topic as the user names it: its physical name, the schema of its values, and whether it holds dead letters. */
export interface TopicRef {
  readonly name: string;
  readonly physical: string;
  readonly schema: SchemaTopic;
  readonly deadLetters: boolean;
}

/** The topics `tail` reads: every event topic, and the dead-letter topic of every stage input. */
export function readableTopics(): string[] {
  return [...SCHEMA_TOPICS, ...INPUT_TOPICS.map(dlqOf)];
}

export function topicRef(name: string, prefix: string): TopicRef {
  const deadLetters = name.endsWith('.dlq');
  const schema = (deadLetters ? name.slice(0, -'.dlq'.length) : name) as SchemaTopic;
  const known = deadLetters ? INPUT_TOPICS.includes(schema) : SCHEMA_TOPICS.includes(schema);
  if (!known)
    throw new AsmvsError(
      'USAGE',
      `unknown topic ${JSON.stringify(name)}; the topics are: ${readableTopics().join(', ')}`,
    );
  return { name, physical: prefix + name, schema, deadLetters };
}

/** Where a read starts: kcat's -o (beginning, end, an absolute offset, or -N: the last N of each partition). */
export type StartAt = 'beginning' | 'end' | { readonly offset: bigint } | { readonly last: bigint };

export function parseStartAt(text: string): StartAt {
  if (text === 'beginning' || text === 'end') return text;
  if (/^\d{1,19}$/.test(text)) return { offset: BigInt(text) };
  if (/^-\d{1,19}$/.test(text) && text !== '-0') return { last: BigInt(text.slice(1)) };
  throw new AsmvsError(
    'USAGE',
    `--offset must be beginning, end, an offset or -N (the last N records of each partition), got ${JSON.stringify(text)}`,
  );
}

/** Each partition's first offset to read, kept within what it retains (pure). */
export function startOffsets(bounds: Readonly<Record<number, PartitionBounds>>, at: StartAt): Record<number, string> {
  const out: Record<number, string> = {};
  for (const [p, b] of Object.entries(bounds)) {
    const low = BigInt(b.low);
    const high = BigInt(b.high);
    const wanted = at === 'beginning' ? low : at === 'end' ? high : 'offset' in at ? at.offset : high - at.last;
    out[Number(p)] = (wanted < low ? low : wanted > high ? high : wanted).toString();
  }
  return out;
}

export interface TailRecord {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
  readonly timestamp: string;
  readonly key: string | null;
  readonly headers: Record<string, string>;
  readonly value?: unknown;
  readonly error?: { readonly code: string; readonly message: string };
}

/** A record as tail prints it: its value decoded with the topic's schema (a dead letter's with its source topic's). */
export async function tailRecord(codec: Codec, ref: TopicRef, r: RawRecord): Promise<TailRecord> {
  const decoded = await decodeValue(codec, ref.schema, r.value);
  return {
    topic: ref.name,
    partition: r.partition,
    offset: r.offset,
    timestamp: new Date(r.timestamp).toISOString(),
    key: r.key?.toString() ?? null,
    headers: headersAsStrings(r.headers),
    ...('value' in decoded
      ? { value: decoded.value }
      : { error: { code: decoded.error.code, message: decoded.error.message } }),
  };
}

export interface TailOptions {
  readonly from: StartAt;
  readonly partition?: number;
  /** Stop at the end each partition had when the read began. */
  readonly toEnd: boolean;
  readonly signal: AbortSignal;
}

export async function tailTopic(
  session: KafkaSession,
  ref: TopicRef,
  options: TailOptions,
  onRecord: (record: TailRecord) => 'stop' | void,
): Promise<void> {
  const bounds = await topicBoundsOf(session, ref.physical);
  if (options.partition !== undefined && !(options.partition in bounds))
    throw new AsmvsError(
      'USAGE',
      `--partition ${options.partition}: ${ref.name} has partitions 0 to ${Object.keys(bounds).length - 1}`,
    );
  const partitions = options.partition === undefined ? undefined : [options.partition];
  const from = startOffsets(bounds, options.from);
  const codec = session.codec;
  const each = async (r: RawRecord) => onRecord(await tailRecord(codec, ref, r));
  const only = partitions ? { partitions } : {};
  if (options.toEnd) return readRecordsToEnd(session, ref.physical, { from, signal: options.signal, ...only }, each);
  return readRecords(session, ref.physical, { from, signal: options.signal, ...only }, each);
}
