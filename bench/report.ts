// What every benchmark reports, in one shape: a figure (what is measured) with its value and unit, the baseline it
// is compared against — measured in the same run — or the reason it has none, the ratio, and the goal with whether
// it is met. Rows are printed as they are recorded; when BENCH_RESULTS names a file they are also appended to it as
// JSON lines (scripts/bench-all.ts collects them into bench/results.md).
import { appendFileSync } from 'node:fs';

/** A goal on the value or on the ratio (`met` is computed), or one stated in words with its verdict. */
export type Goal =
  | { readonly on: 'value' | 'ratio'; readonly op: '<' | '≤' | '>' | '≥'; readonly limit: number }
  | { readonly text: string; readonly met: boolean };

/** A baseline measured in the same run, in the figure's unit, or why there is none. */
export type Baseline = { readonly name: string; readonly value: number } | { readonly none: string };

export interface RowInput {
  readonly figure: string;
  readonly value: number;
  readonly unit: string;
  readonly baseline: Baseline;
  readonly goal?: Goal;
}

export interface Row {
  readonly bench: string;
  readonly figure: string;
  readonly value: number | null;
  readonly unit: string;
  readonly baseline: string | null;
  readonly baselineValue: number | null;
  readonly noBaseline: string | null;
  readonly ratio: number | null;
  readonly goal: string | null;
  readonly met: boolean | null;
}

const finite = (n: number): number | null => (Number.isFinite(n) ? n : null);

function meets(x: number | null, op: '<' | '≤' | '>' | '≥', limit: number): boolean {
  if (x === null) return false;
  if (op === '<') return x < limit;
  if (op === '≤') return x <= limit;
  if (op === '>') return x > limit;
  return x >= limit;
}

/** The row as written: non-finite numbers become null (a phase that timed out), the goal evaluated. */
export function toRow(bench: string, input: RowInput): Row {
  const value = finite(input.value);
  const base = 'name' in input.baseline ? finite(input.baseline.value) : null;
  const ratio = value !== null && base !== null && base !== 0 ? value / base : null;
  const g = input.goal;
  const goal =
    g === undefined
      ? null
      : 'text' in g
        ? g.text
        : `${g.on} ${g.op} ${g.limit}${g.on === 'ratio' ? '×' : ` ${input.unit}`}`;
  const met = g === undefined ? null : 'text' in g ? g.met : meets(g.on === 'ratio' ? ratio : value, g.op, g.limit);
  return {
    bench,
    figure: input.figure,
    value,
    unit: input.unit,
    baseline: 'name' in input.baseline ? input.baseline.name : null,
    baselineValue: base,
    noBaseline: 'none' in input.baseline ? input.baseline.none : null,
    ratio,
    goal,
    met,
  };
}

/** A number as the tables show it: three significant digits at most, thousands separated. */
export function num(n: number | null): string {
  if (n === null) return '—';
  if (n !== 0 && Math.abs(n) < 0.01) return n.toPrecision(2);
  const digits = Math.abs(n) >= 100 ? 0 : Math.abs(n) >= 10 ? 1 : 2;
  return n.toLocaleString('en-US', { maximumFractionDigits: digits });
}

export function formatRow(r: Row): string {
  const against =
    r.baseline !== null
      ? `against ${r.baseline} ${num(r.baselineValue)} ${r.unit}: ${num(r.ratio)}×`
      : `no baseline: ${r.noBaseline}`;
  const goal = r.goal === null ? '' : `; goal ${r.goal}: ${r.met ? 'met' : 'NOT met'}`;
  return `  ▸ ${r.figure}: ${num(r.value)} ${r.unit}, ${against}${goal}`;
}

/** A recorder for one benchmark, named as scripts/bench-all.ts lists it (e.g. `runtime/throughput`). */
export function benchReport(bench: string, file = process.env['BENCH_RESULTS']) {
  return {
    record(input: RowInput): Row {
      const row = toRow(bench, input);
      console.log(formatRow(row));
      if (file) appendFileSync(file, `${JSON.stringify(row)}\n`);
      return row;
    },
  };
}
