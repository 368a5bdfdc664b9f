// Prometheus metrics of the runtime (prom-client). One StageMetrics per registry; labels are low-cardinality
// (stage, topic, partition, error code, outcome, engine, severity) — never keys or request ids. The standard process
// metrics (process_*, nodejs_*) keep their conventional unprefixed names, so stock Node.js dashboards match them.
import client from 'prom-client';
import { VERSION } from '../version.ts';

export interface StageMetrics {
  readonly registry: client.Registry;
  readonly consumed: client.Counter<'stage' | 'topic'>;
  readonly produced: client.Counter<'stage' | 'topic'>;
  readonly retried: client.Counter<'stage' | 'code'>;
  readonly deadLettered: client.Counter<'stage' | 'code'>;
  readonly inFlight: client.Gauge<'stage'>;
  readonly handleSeconds: client.Histogram<'stage' | 'outcome'>;
  readonly lag: client.Gauge<'stage' | 'topic' | 'partition'>;
  readonly commits: client.Counter<'stage'>;
  readonly timersFired: client.Counter<'stage'>;
  readonly timerLatenessSeconds: client.Histogram<'stage'>;
  readonly timersPending: client.Gauge<'stage'>;
  readonly keyedLoadSeconds: client.Histogram<'stage'>;
  /** Group joins of this copy (each rebalance it takes part in). */
  readonly rebalances: client.Counter<'stage'>;
  readonly partitionsAssigned: client.Gauge<'stage'>;
  readonly scansStarted: client.Counter<'engine'>;
  readonly scansFinished: client.Counter<'engine' | 'outcome'>;
  readonly scanSeconds: client.Histogram<'engine' | 'outcome'>;
  readonly findings: client.Counter<'severity'>;
  /** Reports a stage's readiness (1/0) in asmvs_stage_ready, read at each scrape. */
  watchReadiness(stage: string, ready: () => boolean): void;
  readonly unavailable: client.Gauge<'stage' | 'code'>;
  readonly outageWaits: client.Counter<'stage' | 'code'>;
}

export function createMetrics(
  registry: client.Registry = new client.Registry(),
  options: { defaultMetrics?: boolean } = {},
): StageMetrics {
  if (options.defaultMetrics) client.collectDefaultMetrics({ register: registry });
  const registers = [registry];
  new client.Gauge({
    name: 'asmvs_build_info',
    help: 'Always 1; the labels say which build runs',
    labelNames: ['version', 'node_version'],
    registers,
  }).set({ version: VERSION, node_version: process.versions.node }, 1);
  const readiness = new Map<string, () => boolean>();
  new client.Gauge({
    name: 'asmvs_stage_ready',
    help: '1 while the stage is ready (joined its group, owns its partitions; the same as /readyz), else 0',
    labelNames: ['stage'],
    registers,
    collect() {
      for (const [stage, ready] of readiness) this.set({ stage }, ready() ? 1 : 0);
    },
  });
  return {
    watchReadiness: (stage, ready) => void readiness.set(stage, ready),
    registry,
    consumed: new client.Counter({
      name: 'asmvs_events_consumed_total',
      help: 'Events taken from the input topic',
      labelNames: ['stage', 'topic'],
      registers,
    }),
    produced: new client.Counter({
      name: 'asmvs_events_produced_total',
      help: 'Events published and acknowledged',
      labelNames: ['stage', 'topic'],
      registers,
    }),
    retried: new client.Counter({
      name: 'asmvs_events_retried_total',
      help: 'Failed attempts that were retried',
      labelNames: ['stage', 'code'],
      registers,
    }),
    deadLettered: new client.Counter({
      name: 'asmvs_events_dead_lettered_total',
      help: 'Events written to a dead-letter topic',
      labelNames: ['stage', 'code'],
      registers,
    }),
    inFlight: new client.Gauge({
      name: 'asmvs_events_in_flight',
      help: 'Events received and not yet finished',
      labelNames: ['stage'],
      registers,
    }),
    handleSeconds: new client.Histogram({
      name: 'asmvs_handle_duration_seconds',
      help: 'Time from the start of the first attempt to the outcome (retries included)',
      labelNames: ['stage', 'outcome'],
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300],
      registers,
    }),
    lag: new client.Gauge({
      name: 'asmvs_consumer_lag',
      help: 'High watermark minus the committed position',
      labelNames: ['stage', 'topic', 'partition'],
      registers,
    }),
    commits: new client.Counter({
      name: 'asmvs_offset_commits_total',
      help: 'Offset commits (or transactions) that succeeded',
      labelNames: ['stage'],
      registers,
    }),
    timersFired: new client.Counter({
      name: 'asmvs_timers_fired_total',
      help: 'Durable timers handled (keyed stages)',
      labelNames: ['stage'],
      registers,
    }),
    timerLatenessSeconds: new client.Histogram({
      name: 'asmvs_timer_lateness_seconds',
      help: 'How long after its due time a timer was handled',
      labelNames: ['stage'],
      buckets: [0.001, 0.01, 0.05, 0.1, 0.5, 1, 5, 30, 300, 3600],
      registers,
    }),
    timersPending: new client.Gauge({
      name: 'asmvs_timers_pending',
      help: 'Durable timers held for the partitions this copy owns',
      labelNames: ['stage'],
      registers,
    }),
    keyedLoadSeconds: new client.Histogram({
      name: 'asmvs_keyed_state_load_seconds',
      help: 'Time to reload the timers and state of newly assigned partitions',
      labelNames: ['stage'],
      buckets: [0.05, 0.1, 0.5, 1, 2, 5, 10, 30, 60],
      registers,
    }),
    rebalances: new client.Counter({
      name: 'asmvs_rebalances_total',
      help: 'Consumer group joins of this copy (one per rebalance it takes part in)',
      labelNames: ['stage'],
      registers,
    }),
    partitionsAssigned: new client.Gauge({
      name: 'asmvs_partitions_assigned',
      help: 'Input partitions this copy owns',
      labelNames: ['stage'],
      registers,
    }),
    scansStarted: new client.Counter({
      name: 'asmvs_scans_started_total',
      help: 'Scans started (scan jobs emitted by vs_scan_trigger)',
      labelNames: ['engine'],
      registers,
    }),
    scansFinished: new client.Counter({
      name: 'asmvs_scans_finished_total',
      help: 'Scans that ended (vs_result_fetcher): outcome completed or failed',
      labelNames: ['engine', 'outcome'],
      registers,
    }),
    scanSeconds: new client.Histogram({
      name: 'asmvs_scan_duration_seconds',
      help: 'From the start of a scan job to its end',
      labelNames: ['engine', 'outcome'],
      buckets: [0.5, 1, 5, 10, 30, 60, 120, 300, 600, 1800, 3600],
      registers,
    }),
    findings: new client.Counter({
      name: 'asmvs_findings_total',
      help: 'Normalized findings emitted (vs_normalization), by severity',
      labelNames: ['severity'],
      registers,
    }),
    unavailable: new client.Gauge({
      name: 'asmvs_infrastructure_unavailable',
      help: 'Whether the stage waits for this infrastructure now (1), by error code: its input is paused, it is not ready',
      labelNames: ['stage', 'code'],
      registers,
    }),
    outageWaits: new client.Counter({
      name: 'asmvs_infrastructure_waits_total',
      help: 'Tries that met unavailable infrastructure and waited (they spend no retry budget)',
      labelNames: ['stage', 'code'],
      registers,
    }),
  };
}
