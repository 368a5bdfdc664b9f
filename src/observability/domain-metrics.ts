// What the scanning stages did, as metrics: scans started and finished by engine, their durations, findings by
// severity. Read from the events a stage consumes and emits, so neither the processors nor the runner change: the
// processor is wrapped (observeProcessor) and its outputs counted when an attempt succeeds. A failed attempt that
// is retried counts nothing; a redelivered event (at-least-once) counts again, as the events themselves do.
import type { AnyProcessor, Context } from '../processor.ts';
import type { Finding, JobStatus, ScanJob } from '../schemas/types.gen.ts';
import type { SchemaTopic } from '../schemas/registry-files.ts';
import type { StageMetrics } from './metrics.ts';

type Output = { readonly topic: SchemaTopic; readonly value: unknown };
type Counts = Pick<StageMetrics, 'scansStarted' | 'scansFinished' | 'scanSeconds' | 'findings'>;

/** The engine label: BUILTIN → builtin. */
const engineOf = (job: Pick<ScanJob, 'engine'>) => job.engine.toLowerCase();

/** How one stage's succeeded attempt (its input and outputs) or dead letter moves the counts; undefined: no counts. */
export interface StageCounting {
  done(input: unknown, outputs: readonly Output[], m: Counts, now: number): void;
  deadLettered(input: unknown, m: Counts, now: number): void;
}

function scanEnded(job: ScanJob | undefined, outcome: 'completed' | 'failed', m: Counts, now: number): void {
  if (!job) return;
  const engine = engineOf(job);
  m.scansFinished.inc({ engine, outcome });
  m.scanSeconds.observe({ engine, outcome }, Math.max(0, now - job.startedAt) / 1000);
}

export const STAGE_COUNTING: Readonly<Record<string, StageCounting>> = {
  vs_scan_trigger: {
    done(_input, outputs, m) {
      for (const o of outputs)
        if (o.topic === 'scan-jobs') m.scansStarted.inc({ engine: engineOf(o.value as ScanJob) });
    },
    deadLettered() {},
  },
  vs_result_fetcher: {
    // A scan that ran out of time or whose scanner failed ends as a job-status FAILED, not as a dead letter.
    done(input, outputs, m, now) {
      const failed = outputs.some((o) => o.topic === 'job-status' && (o.value as JobStatus).state === 'FAILED');
      scanEnded(input as ScanJob, failed ? 'failed' : 'completed', m, now);
    },
    deadLettered(input, m, now) {
      scanEnded(input as ScanJob | undefined, 'failed', m, now);
    },
  },
  vs_normalization: {
    done(_input, outputs, m) {
      for (const o of outputs)
        if (o.topic === 'normalized-findings')
          m.findings.inc({ severity: (o.value as Finding).severity.toLowerCase() });
    },
    deadLettered() {},
  },
};

/** ctx with emit observed; log stays lazy (the runner builds a child logger only when something logs). */
class ObservedContext implements Context<SchemaTopic, unknown> {
  readonly emit: Context<SchemaTopic, unknown>['emit'];
  readonly #ctx: Context<SchemaTopic, unknown>;

  constructor(ctx: Context<SchemaTopic, unknown>, outputs: Output[]) {
    this.#ctx = ctx;
    this.emit = (topic, key, value) => {
      ctx.emit(topic, key, value);
      outputs.push({ topic, value });
    };
  }

  get signal() {
    return this.#ctx.signal;
  }
  get log() {
    return this.#ctx.log;
  }
  get deps() {
    return this.#ctx.deps;
  }
  get meta() {
    return this.#ctx.meta;
  }
  get keyed() {
    return this.#ctx.keyed;
  }
}

/** The processor, counting into `metrics` what its stage does (stages without counts are returned as they are). */
export function observeProcessor(processor: AnyProcessor, metrics: Counts, now: () => number = Date.now): AnyProcessor {
  const counting = STAGE_COUNTING[processor.name];
  if (!counting) return processor;
  const observed: AnyProcessor = {
    name: processor.name,
    input: processor.input,
    outputs: processor.outputs,
    ...(processor.pure !== undefined ? { pure: processor.pure } : {}),
    ...(processor.keyed !== undefined ? { keyed: processor.keyed } : {}),
    async handle(event, ctx) {
      const outputs: Output[] = [];
      await processor.handle(event, new ObservedContext(ctx, outputs));
      counting.done(event, outputs, metrics, now());
    },
    async onDeadLetter(event, error, ctx) {
      counting.deadLettered(event, metrics, now());
      await processor.onDeadLetter?.(event, error, ctx);
    },
  };
  return observed;
}
