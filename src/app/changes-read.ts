// Reading a topic as it is now (`asmvs changes`, `asmvs monitor list`): from the start to the end offsets taken when
// the read began, then stop; or, following, on until the signal aborts.
import type { Config } from '../config/config.ts';
import { readTopic, topicEnd, type ReadRecord } from '../runtime/kafka/read-topic.ts';
import type { SchemaTopic } from '../schemas/registry-files.ts';

// A partition's end can be a transaction marker, which is never delivered, and a partition whose records have all
// passed their retention delivers nothing: a read that has been quiet this long after its last record is complete.
const QUIET_MS = 2_000;
const FIRST_RECORD_MS = 6_000;

/** Every record up to the current end of each partition (in log order per partition), then returns. */
export async function readToEnd<T extends SchemaTopic>(
  config: Config,
  topic: T,
  signal: AbortSignal,
  onRecord: (record: ReadRecord<T>) => 'stop' | void,
): Promise<void> {
  const ends = await topicEnd(config, topic);
  const remaining = new Map(
    Object.entries(ends)
      .filter(([, end]) => end !== '0')
      .map(([p, end]) => [Number(p), BigInt(end)]),
  );
  if (remaining.size === 0) return;
  const quiet = new AbortController();
  let timer = setTimeout(() => quiet.abort(), FIRST_RECORD_MS);
  try {
    await readTopic(config, topic, { from: 'earliest', signal: AbortSignal.any([signal, quiet.signal]) }, (r) => {
      clearTimeout(timer);
      timer = setTimeout(() => quiet.abort(), QUIET_MS);
      const end = remaining.get(r.partition);
      if (end === undefined || BigInt(r.offset) >= end) return undefined; // produced after the read began
      if (onRecord(r) === 'stop') return 'stop';
      if (BigInt(r.offset) + 1n >= end) remaining.delete(r.partition);
      return remaining.size === 0 ? 'stop' : undefined;
    });
  } finally {
    clearTimeout(timer);
  }
  signal.throwIfAborted();
}

/** Every record from the start, then every new one, until the signal aborts. */
export function readAndFollow<T extends SchemaTopic>(
  config: Config,
  topic: T,
  signal: AbortSignal,
  onRecord: (record: ReadRecord<T>) => void,
): Promise<void> {
  return readTopic(config, topic, { from: 'earliest', signal }, (r) => void onRecord(r));
}
