// bench/results.md from one `npm run bench` run: where and when it ran, one table of every figure with its baseline,
// ratio and goal, each bench's outcome, and the printed output of benches that record no rows. Pure: the driver
// (scripts/bench-all.ts) gathers the facts.
import { num, type Row } from './report.ts';

export interface BenchOutcome {
  readonly name: string;
  readonly args: readonly string[];
  /** `ok`, `failed (exit 1)`, `timed out after 600 s`, `skipped: <why>`. */
  readonly status: string;
  readonly seconds: number;
  readonly rows: readonly Row[];
  /** The end of what it printed, shown when it recorded no rows. */
  readonly tail: readonly string[];
}

export interface RunFacts {
  readonly started: Date;
  readonly seconds: number;
  readonly machine: string;
  readonly load: { readonly start: readonly number[]; readonly end: readonly number[] };
  readonly node: string;
  readonly commit: string;
  readonly stack: string;
}

const cell = (s: string) => s.replaceAll('|', '\\|').replaceAll('\n', ' ');
const loads = (l: readonly number[]) => l.map((x) => x.toFixed(2)).join(', ');

function rowLine(r: Row): string {
  const baseline = r.baseline !== null ? `${r.baseline}: ${num(r.baselineValue)} ${r.unit}` : `none: ${r.noBaseline}`;
  const met = r.met === null ? '' : r.met ? 'yes' : '**no**';
  return `| ${cell(r.bench)} | ${cell(r.figure)} | ${num(r.value)} ${cell(r.unit)} | ${cell(baseline)} | ${r.ratio === null ? '—' : `${num(r.ratio)}×`} | ${cell(r.goal ?? '')} | ${met} |`;
}

export function resultsMarkdown(run: RunFacts, outcomes: readonly BenchOutcome[]): string {
  const rows = outcomes.flatMap((o) => o.rows);
  const goals = rows.filter((r) => r.met !== null);
  const lines = [
    '# Benchmark results',
    '',
    `Written by \`npm run bench\` (scripts/bench-all.ts); every ratio is against a baseline measured in the same run.`,
    '',
    `- run: ${run.started.toISOString().replace('T', ' ').slice(0, 16)} UTC, ${Math.round(run.seconds / 60)} min`,
    `- machine: ${run.machine}; load average (1, 5, 15 min) ${loads(run.load.start)} at the start, ${loads(run.load.end)} at the end`,
    `- node ${run.node}, commit ${run.commit}; stack: ${run.stack}`,
    `- goals met: ${goals.filter((r) => r.met).length} of ${goals.length}`,
    '',
    '| benchmark | figure | value | baseline (same run) | ratio | goal | met |',
    '|---|---|---|---|---|---|---|',
    ...rows.map(rowLine),
    '',
    '## Runs',
    '',
    '| benchmark | arguments | outcome | time | rows |',
    '|---|---|---|---|---|',
    ...outcomes.map(
      (o) =>
        `| ${o.name} | ${cell(o.args.join(' '))} | ${cell(o.status)} | ${o.seconds.toFixed(0)} s | ${o.rows.length} |`,
    ),
  ];
  for (const o of outcomes.filter((x) => x.rows.length === 0 && x.tail.length > 0))
    lines.push('', `### ${o.name}: no rows recorded; the end of its output`, '', '```', ...o.tail, '```');
  return `${lines.join('\n')}\n`;
}
