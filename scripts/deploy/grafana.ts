// deploy/grafana/asmvs.json: the dashboard, from a short list of panels (title, PromQL, unit). Rendered by
// scripts/gen-deploy.ts; test/deploy/dashboards.test.ts parses every query and checks that a running stage
// exports each metric it names.

interface Panel {
  readonly title: string;
  readonly description: string;
  readonly unit: string;
  /** [legend, PromQL] */
  readonly queries: readonly (readonly [string, string])[];
  readonly type?: 'timeseries' | 'stat';
}

const STAGE = 'stage=~"$stage"';

export const PANELS: readonly Panel[] = [
  {
    title: 'Throughput: events consumed per second',
    description: 'Events each stage takes from its input topic.',
    unit: 'ops',
    queries: [['{{stage}}', `sum by (stage) (rate(asmvs_events_consumed_total{${STAGE}}[5m]))`]],
  },
  {
    title: 'Events produced per second, by topic',
    description: 'Outputs published and acknowledged.',
    unit: 'ops',
    queries: [['{{stage}} → {{topic}}', `sum by (stage, topic) (rate(asmvs_events_produced_total{${STAGE}}[5m]))`]],
  },
  {
    title: 'Consumer lag per stage',
    description: 'High watermark minus the committed position, summed over the partitions of the input topic.',
    unit: 'short',
    queries: [['{{stage}}', `sum by (stage) (asmvs_consumer_lag{${STAGE}})`]],
  },
  {
    title: 'In flight',
    description: 'Events received and not yet finished (back-pressure pauses partitions at STAGE_MAX_IN_FLIGHT).',
    unit: 'short',
    queries: [['{{stage}}', `sum by (stage) (asmvs_events_in_flight{${STAGE}})`]],
  },
  {
    title: 'Dead letters per second, by code',
    description: 'Events written to <topic>.dlq: each needs a look (asmvs tail <topic>.dlq).',
    unit: 'ops',
    queries: [['{{stage}} {{code}}', `sum by (stage, code) (rate(asmvs_events_dead_lettered_total{${STAGE}}[5m]))`]],
  },
  {
    title: 'Retries per second, by code',
    description: 'Failed attempts of retryable errors.',
    unit: 'ops',
    queries: [['{{stage}} {{code}}', `sum by (stage, code) (rate(asmvs_events_retried_total{${STAGE}}[5m]))`]],
  },
  {
    title: 'Handling time p95',
    description: 'From the first attempt to the outcome, retries included.',
    unit: 's',
    queries: [
      [
        '{{stage}}',
        `histogram_quantile(0.95, sum by (stage, le) (rate(asmvs_handle_duration_seconds_bucket{${STAGE}}[5m])))`,
      ],
    ],
  },
  {
    title: 'Scan durations',
    description: 'From the start of a scan job to its end (vs_result_fetcher), by engine.',
    unit: 's',
    queries: [
      [
        'p50 {{engine}}',
        'histogram_quantile(0.5, sum by (engine, le) (rate(asmvs_scan_duration_seconds_bucket[15m])))',
      ],
      [
        'p95 {{engine}}',
        'histogram_quantile(0.95, sum by (engine, le) (rate(asmvs_scan_duration_seconds_bucket[15m])))',
      ],
    ],
  },
  {
    title: 'Scans started and finished per minute',
    description: 'Started by vs_scan_trigger; finished (completed or failed) by vs_result_fetcher.',
    unit: 'short',
    queries: [
      ['started {{engine}}', 'sum by (engine) (rate(asmvs_scans_started_total[5m])) * 60'],
      ['{{outcome}} {{engine}}', 'sum by (engine, outcome) (rate(asmvs_scans_finished_total[5m])) * 60'],
    ],
  },
  {
    title: 'Findings by severity (per hour)',
    description: 'Normalized findings emitted by vs_normalization (a replay counts them again).',
    unit: 'short',
    queries: [['{{severity}}', 'sum by (severity) (increase(asmvs_findings_total[1h]))']],
  },
  {
    title: 'Ready copies',
    description: 'Copies that joined their group and own partitions (/readyz).',
    unit: 'short',
    queries: [['{{stage}}', `sum by (stage) (asmvs_stage_ready{${STAGE}})`]],
  },
  {
    title: 'Rebalances (15 min)',
    description: 'Group joins; many in a row mean copies keep leaving and joining.',
    unit: 'short',
    queries: [['{{stage}}', `sum by (stage) (increase(asmvs_rebalances_total{${STAGE}}[15m]))`]],
  },
  {
    title: 'Resident memory per copy',
    description: 'Goal: under 256 MB per stage process (README, Benchmarks).',
    unit: 'bytes',
    queries: [['{{instance}}', 'max by (instance) (process_resident_memory_bytes)']],
  },
  {
    title: 'Event loop lag p99',
    description: 'A busy or blocked event loop delays heartbeats and commits.',
    unit: 's',
    queries: [['{{instance}}', 'max by (instance) (nodejs_eventloop_lag_p99_seconds)']],
  },
];

/** Every PromQL query of the dashboard. */
export const DASHBOARD_QUERIES: readonly string[] = PANELS.flatMap((p) => p.queries.map(([, q]) => q));

export function dashboard(): string {
  const datasource = { type: 'prometheus', uid: '${datasource}' };
  const panels = PANELS.map((p, i) => ({
    id: i + 1,
    type: p.type ?? 'timeseries',
    title: p.title,
    description: p.description,
    datasource,
    gridPos: { h: 8, w: 12, x: (i % 2) * 12, y: Math.floor(i / 2) * 8 },
    fieldConfig: { defaults: { unit: p.unit }, overrides: [] },
    options: { legend: { displayMode: 'list', placement: 'bottom' }, tooltip: { mode: 'multi' } },
    targets: p.queries.map(([legend, expr], j) => ({
      refId: String.fromCharCode(65 + j),
      datasource,
      expr,
      legendFormat: legend,
    })),
  }));
  const json = {
    title: 'asmvs stages',
    uid: 'asmvs-stages',
    description:
      'Generated by scripts/gen-deploy.ts (scripts/deploy/grafana.ts): throughput, lag, in flight, dead letters, scans, findings.',
    tags: ['asmvs', 'kafka'],
    timezone: 'browser',
    schemaVersion: 39,
    version: 1,
    refresh: '30s',
    time: { from: 'now-6h', to: 'now' },
    templating: {
      list: [
        { name: 'datasource', label: 'Prometheus', type: 'datasource', query: 'prometheus' },
        {
          name: 'stage',
          label: 'Stage',
          type: 'query',
          datasource,
          query: 'label_values(asmvs_events_consumed_total, stage)',
          includeAll: true,
          multi: true,
          current: { text: 'All', value: '$__all' },
          refresh: 2,
        },
      ],
    },
    panels,
  };
  return `${JSON.stringify(json, null, 2)}\n`;
}
