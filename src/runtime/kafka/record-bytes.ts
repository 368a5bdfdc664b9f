// How large a record is on the wire, and how large the broker lets it be. The broker refuses a record batch larger
// than the topic's max.message.bytes (MESSAGE_TOO_LARGE, which no retry changes), and a produce request carries one
// batch per partition: so a request's records must fit together, and every record alone.
import type { Message } from 'kafkajs';

/** The broker's default max.message.bytes (message.max.bytes), for a topic whose own setting is not known. */
export const DEFAULT_MAX_MESSAGE_BYTES = 1_048_588;

/**
 * What a batch and a record add around a record's key, value and headers (a batch header is 61 bytes, a record's
 * varints about 20, the trace header ~70), with room to spare: a record may be this much under the limit.
 */
export const BATCH_MARGIN_BYTES = 1_024;

/**
 * The most one produce request carries, counted as wireBytes: about 3,000 of vs_normalization's records, or 1,400 of
 * the benchmark's raw events. One request is in flight at a time, so this is what a round trip moves: at 1,000
 * records a request, a one-finding normalization (three records an event) waited for its round trips (0.37× the
 * pass-through's rate; 0.43× at 3,000, bench/stages/normalization-throughput.ts). A quarter under the default
 * limit, so that a request whose records all go to one partition still fits that partition's batch.
 */
export const MAX_REQUEST_BYTES = 768 * 1024;

/** A key's or value's length in bytes. */
export function bytesOf(v: Buffer | string | null | undefined): number {
  return v == null ? 0 : typeof v === 'string' ? Buffer.byteLength(v) : v.length;
}

/** A record's key, value and headers in bytes, plus its own framing (an estimate within a few bytes). */
export function wireBytes(message: Message): number {
  let bytes = 16 + bytesOf(message.key) + bytesOf(message.value as Buffer | string | null);
  const headers = message.headers;
  if (headers)
    for (const name in headers) {
      const value = headers[name];
      const values = Array.isArray(value) ? value : [value];
      bytes += 4 + Buffer.byteLength(name);
      for (const v of values) bytes += bytesOf(v as Buffer | string | undefined);
    }
  return bytes;
}

/** `records` cut, in order, into runs of at most `cap` bytes each (a record larger than `cap` runs alone). Pure. */
export function runsOf<T>(records: readonly T[], bytesOfRecord: (r: T) => number, cap: number): T[][] {
  const runs: T[][] = [];
  let run: T[] = [];
  let bytes = 0;
  for (const r of records) {
    const size = bytesOfRecord(r);
    if (run.length > 0 && bytes + size > cap) {
      runs.push(run);
      run = [];
      bytes = 0;
    }
    run.push(r);
    bytes += size;
  }
  if (run.length > 0) runs.push(run);
  return runs;
}
