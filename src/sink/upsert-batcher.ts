// findings_sink handles one finding per event, but a transaction per finding caps the stage at the database's
// commit rate. The batcher coalesces the findings handed to it while a transaction runs into the next one, so the
// events in flight (up to the stage's concurrency) share commits. One transaction at a time: concurrent batches
// would take row locks in overlapping orders and deadlock.
import { isAsmvsError } from '../errors.ts';
import type { Finding } from '../schemas/types.gen.ts';
import type { UpsertResult } from './open-sink.ts';

export interface UpsertOutcome {
  readonly opened: boolean;
  readonly reopened: boolean;
}

const UNCHANGED: UpsertOutcome = { opened: false, reopened: false };

interface Waiter {
  readonly finding: Finding;
  resolve(outcome: UpsertOutcome): void;
  reject(error: unknown): void;
}

export function upsertBatcher(
  upsertFindings: (findings: readonly Finding[]) => Promise<UpsertResult>,
  options: { maxBatch?: number } = {},
): (finding: Finding) => Promise<UpsertOutcome> {
  const maxBatch = options.maxBatch ?? 500;
  let queue: Waiter[] = [];
  let running = false;

  // a change belongs to the event that caused it: another event of the same fingerprint in the batch reports nothing
  const settle = (batch: readonly Waiter[], result: UpsertResult) => {
    const byFingerprint = new Map(result.changes.map((c) => [c.fingerprint, c]));
    for (const w of batch) {
      const c = byFingerprint.get(w.finding.fingerprint);
      if (!c || c.eventId !== w.finding.eventId) w.resolve(UNCHANGED);
      else w.resolve({ opened: c.kind === 'FINDING_OPENED', reopened: c.kind === 'FINDING_REOPENED' });
    }
  };

  const run = async (batch: Waiter[]) => {
    try {
      settle(batch, await upsertFindings(batch.map((w) => w.finding)));
    } catch (error) {
      // a finding the database refuses must not fail the others with it: retry them one by one
      const transient = isAsmvsError(error) && error.retryable;
      if (transient || batch.length === 1) for (const w of batch) w.reject(error);
      else
        for (const w of batch) {
          await upsertFindings([w.finding]).then(
            (r) => settle([w], r),
            (e: unknown) => w.reject(e),
          );
        }
    }
  };

  const drain = async () => {
    running = true;
    while (queue.length > 0) {
      const batch = queue.slice(0, maxBatch);
      queue = queue.slice(batch.length);
      await run(batch);
    }
    running = false;
  };

  return (finding) =>
    new Promise<UpsertOutcome>((resolve, reject) => {
      queue.push({ finding, resolve, reject });
      // wait a turn of the event loop so that the events dispatched together share the first transaction
      if (!running) {
        running = true;
        setImmediate(() => void drain());
      }
    });
}
