// Dead letters as records to read and re-drive (pure): the failure a dead letter's headers describe, which records a
// selection takes, and the headers a re-driven record carries — the original ones without the failure, plus where
// it was re-driven from and when, so that the stage and a reader can tell a re-driven event from a first delivery.
import { DEAD_LETTER_HEADERS } from '../runtime/dead-letter.ts';

export interface Failure {
  readonly stage: string | null;
  readonly code: string | null;
  readonly message: string | null;
  readonly attempts: number | null;
  readonly sourceTopic: string | null;
  readonly sourcePartition: number | null;
  readonly sourceOffset: string | null;
  readonly at: string | null;
}

export const REDRIVE_HEADERS = {
  from: 'asmvs-redriven-from',
  at: 'asmvs-redriven-at',
  code: 'asmvs-redriven-code',
  /** On a ledger record (redrive-ledger.ts): the topic it was sent back to. */
  to: 'asmvs-redriven-to',
} as const;

const FAILURE_HEADERS: ReadonlySet<string> = new Set(DEAD_LETTER_HEADERS);

export function failureOf(headers: Readonly<Record<string, string>>): Failure {
  const text = (name: string) => headers[name] ?? null;
  const number = (name: string) => {
    const v = headers[name];
    return v !== undefined && /^\d+$/.test(v) ? Number(v) : null;
  };
  return {
    stage: text('asmvs-stage'),
    code: text('asmvs-error-code'),
    message: text('asmvs-error-message'),
    attempts: number('asmvs-attempts'),
    sourceTopic: text('asmvs-source-topic'),
    sourcePartition: number('asmvs-source-partition'),
    sourceOffset: text('asmvs-source-offset'),
    at: text('asmvs-dead-lettered-at'),
  };
}

/** The headers other than the failure's: what the source record carried (traceparent …). */
export function originalHeaders<V>(headers: Readonly<Record<string, V>>): Record<string, V> {
  return Object.fromEntries(Object.entries(headers).filter(([name]) => !FAILURE_HEADERS.has(name)));
}

export interface Selection {
  /** Every record. */
  readonly all?: boolean;
  /** Records that failed with one of these codes. */
  readonly codes?: readonly string[];
  /** Records at these partition:offset positions of the dead-letter topic. */
  readonly records?: readonly { readonly partition: number; readonly offset: string }[];
}

export function selects(selection: Selection, partition: number, offset: string, code: string | null): boolean {
  if (selection.all) return true;
  if (selection.codes?.length && code !== null && selection.codes.includes(code)) return true;
  return selection.records?.some((r) => r.partition === partition && r.offset === offset) ?? false;
}

/** `--record 3:120`: a position in the dead-letter topic. */
export function parsePosition(text: string): { partition: number; offset: string } | undefined {
  const m = /^(\d{1,9}):(\d{1,19})$/.exec(text.trim());
  return m ? { partition: Number(m[1]), offset: BigInt(m[2]!).toString() } : undefined;
}

export function redriveHeaders<V>(
  headers: Readonly<Record<string, V>>,
  from: { readonly topic: string; readonly partition: number; readonly offset: string },
  code: string | null,
  at: Date,
): Record<string, V | string> {
  return {
    ...originalHeaders(headers),
    [REDRIVE_HEADERS.from]: `${from.topic}/${from.partition}/${from.offset}`,
    [REDRIVE_HEADERS.at]: at.toISOString(),
    ...(code !== null ? { [REDRIVE_HEADERS.code]: code } : {}),
  };
}
