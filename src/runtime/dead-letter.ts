// The headers a dead letter carries: the original headers unchanged, plus why and where it failed. The key and
// value bytes are the original ones (never re-encoded), so a dead letter can be inspected or replayed as it was.
import type { AsmvsError } from '../errors.ts';

export type HeaderValue = Buffer | string | (Buffer | string)[] | undefined;
export type Headers = Record<string, HeaderValue>;

export interface DeadLetterFacts {
  readonly stage: string;
  readonly error: Pick<AsmvsError, 'code' | 'message'>;
  readonly attempts: number;
  readonly sourceTopic: string;
  readonly sourcePartition: number;
  readonly sourceOffset: string;
  readonly at: Date;
}

/** Long messages are cut: a header is not a log, and brokers cap record sizes. */
export const MAX_ERROR_MESSAGE_CHARS = 1_000;

export const DEAD_LETTER_HEADERS = [
  'asmvs-stage',
  'asmvs-error-code',
  'asmvs-error-message',
  'asmvs-attempts',
  'asmvs-source-topic',
  'asmvs-source-partition',
  'asmvs-source-offset',
  'asmvs-dead-lettered-at',
] as const;

export function deadLetterHeaders(original: Headers | undefined, facts: DeadLetterFacts): Headers {
  const message =
    facts.error.message.length > MAX_ERROR_MESSAGE_CHARS
      ? `${facts.error.message.slice(0, MAX_ERROR_MESSAGE_CHARS)}…`
      : facts.error.message;
  const ours: Record<(typeof DEAD_LETTER_HEADERS)[number], string> = {
    'asmvs-stage': facts.stage,
    'asmvs-error-code': facts.error.code,
    'asmvs-error-message': message,
    'asmvs-attempts': String(facts.attempts),
    'asmvs-source-topic': facts.sourceTopic,
    'asmvs-source-partition': String(facts.sourcePartition),
    'asmvs-source-offset': facts.sourceOffset,
    'asmvs-dead-lettered-at': facts.at.toISOString(),
  };
  // Ours win: a replayed dead letter that fails again must say why it failed this time.
  return { ...(original ?? {}), ...ours };
}

/** Header values as strings (the first value of a repeated header), for EventMeta and logs. */
export function headersAsStrings(headers: Headers | undefined): Readonly<Record<string, string>> {
  let out: Record<string, string> | undefined; // most records carry none: they share one frozen empty object
  for (const name in headers) {
    if (!Object.hasOwn(headers, name)) continue;
    const value = headers[name];
    const first = Array.isArray(value) ? value[0] : value;
    if (first !== undefined) (out ??= {})[name] = first.toString();
  }
  return out ?? NO_HEADERS;
}

const NO_HEADERS: Readonly<Record<string, string>> = Object.freeze({});
