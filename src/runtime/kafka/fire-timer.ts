// A keyed stage's due timer, run on Kafka like an event of its key: its value is delivered to handle() with
// meta.timer set. The timer leaves the key's entry in the same keyed-state record that carries what the attempt
// changed, sent with its outputs; until that is acknowledged it stays in the topic, so a crash or a revocation makes
// it fire again at the next owner (at least once). A timer whose handling fails for good is dead-lettered with its
// value and removed, like a poison event.
import type { AnyProcessor, Logger } from '../../processor.ts';
import type { AsmvsError } from '../../errors.ts';
import type { Codec } from '../../schemas/codec.ts';
import type { SchemaTopic } from '../../schemas/registry-files.ts';
import type { StageMetrics } from '../../observability/metrics.ts';
import type { RetryPolicy } from '../backoff.ts';
import { deadLetterHeaders } from '../dead-letter.ts';
import { execute, type Emitted, type Outcome } from '../execute.ts';
import { timerBytes, withoutTimer } from '../keyed/key-entry.ts';
import type { DueTimer } from '../keyed/keyed-store.ts';
import type { OutRecord } from './batching-sender.ts';
import type { KeyedPartitions } from './keyed-partitions.ts';

export interface TimerFiringOptions {
  readonly processor: AnyProcessor;
  readonly deps: unknown;
  readonly codec: Codec;
  readonly keyed: KeyedPartitions;
  readonly retry: RetryPolicy;
  readonly log: Logger;
  readonly metrics: StageMetrics | undefined;
  /** The input's dead-letter topic (physical name). */
  readonly deadLetterTopic: string;
  readonly onRetry: (error: AsmvsError) => void;
  /** The processor's outputs as records for their physical topics. */
  readonly records: (outputs: readonly Emitted<Buffer>[]) => OutRecord[];
  /** Sends records; true once acknowledged, false when the signal aborted first. */
  readonly send: (records: OutRecord[], signal: AbortSignal) => Promise<boolean>;
  /** Counts what an acknowledged firing produced (the runner's per-topic and per-outcome metrics). */
  readonly counted: (outcome: Exclude<Outcome<Buffer>, { kind: 'aborted' }>, startedAt: number) => void;
  /** The firing is over (its slot of work in progress frees up). */
  readonly release: () => void;
  /** The runner's own failure: stops the stage. */
  readonly fail: (error: unknown) => void;
}

/**
 * Returns the function that fires one due timer on `partition` (aborted by `signal`). Like a handled event it
 * resolves with the publication still in flight; it never rejects.
 */
export function timerFiring(o: TimerFiringOptions) {
  const { processor, keyed } = o;
  const stage = processor.name;
  const encode = (topic: SchemaTopic, value: unknown) => o.codec.encode(topic, value as never);

  return function fire(
    partition: number,
    signal: AbortSignal,
    due: DueTimer,
  ): Promise<{ settled: Promise<void> } | undefined> {
    if (!keyed.store.isCurrent(due)) {
      o.release(); // cancelled or replaced while it waited in the mailbox
      return Promise.resolve(undefined);
    }
    const { timer, key } = due;
    const base = withoutTimer(keyed.store.get(partition, key), timer.id);
    const startedAt = performance.now();
    const firedAt = Date.now();
    return execute<Buffer>({
      processor,
      deps: o.deps,
      meta: {
        topic: processor.input,
        partition,
        offset: '-1',
        key,
        headers: {},
        timestamp: timer.scheduledAt,
        timer: { id: timer.id, at: timer.at, scheduledAt: timer.scheduledAt },
      },
      decode: () => o.codec.decode(processor.input, timerBytes(timer)),
      encode,
      retry: o.retry,
      signal,
      log: o.log,
      onRetry: o.onRetry,
      keyed: () => keyed.attempt(partition, key, base),
    }).then(
      (outcome) => {
        if (outcome.kind === 'aborted') {
          o.release();
          return undefined;
        }
        const records = o.records(outcome.outputs);
        if (outcome.kind === 'failed') records.unshift(deadLetter(due, partition, outcome.error, outcome.attempts));
        records.push(keyed.commit(partition, key, outcome.kind === 'done' ? outcome.keyed?.result() : base));
        const settled = o.send(records, signal).then(
          (acknowledged) => {
            if (acknowledged && o.metrics) {
              o.metrics.timersFired.inc({ stage });
              o.metrics.timerLatenessSeconds.observe({ stage }, Math.max(0, firedAt - timer.at) / 1000);
              o.counted(outcome, startedAt);
            }
            o.release();
          },
          (error: unknown) => o.fail(error),
        );
        return { settled };
      },
      (error: unknown) => void o.fail(error),
    );
  };

  function deadLetter(due: DueTimer, partition: number, error: AsmvsError, attempts: number): OutRecord {
    const { timer, key } = due;
    const facts = {
      stage,
      error,
      attempts,
      sourceTopic: keyed.topic,
      sourcePartition: partition,
      sourceOffset: '-1',
      at: new Date(),
    };
    const headers = deadLetterHeaders({ 'asmvs-timer-id': timer.id, 'asmvs-timer-at': String(timer.at) }, facts);
    return { topic: o.deadLetterTopic, message: { key, value: timerBytes(timer), headers } };
  }
}
