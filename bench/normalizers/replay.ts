// Replay through the normalizer alone: N raw events (default 1,000,000), each a small one-result report as the
// built-in scanners emit, through normalizeRaw as vs_normalization calls it; findings are dropped (no Kafka here —
// the stage benchmark on a broker belongs to the runtime). Prints the rate and peak RSS, and the rate of a
// pass-through (JSON.parse of the same payload) measured in the same run.
// Run: node_modules/.bin/node bench/normalizers/replay.ts [N]
import { normalizeRaw } from '../../src/normalizers/index.ts';
import { checksRawEvent as rawEvent } from '../stages/raw-events.ts';
import { benchReport } from '../report.ts';

const N = Number(process.argv[2] ?? 1_000_000);
const MiB = 1024 * 1024;

let peak = process.memoryUsage().rss;
const sample = () => (peak = Math.max(peak, process.memoryUsage().rss));

let t = performance.now();
let parsed = 0;
for (let i = 0; i < N; i++) {
  parsed += (JSON.parse(rawEvent(i).payload.toString()) as { checks: unknown[] }).checks.length;
}
const passSeconds = (performance.now() - t) / 1000;

t = performance.now();
let findings = 0;
for (let i = 0; i < N; i++) {
  findings += normalizeRaw(rawEvent(i), { topic: 'raw-findings', partition: i % 12, offset: i }, { now: 0 }).findings
    .length;
  if (i % 10_000 === 0) sample();
}
const seconds = (performance.now() - t) / 1000;
sample();
console.log(`raw events:           ${N}`);
console.log(`findings:             ${findings} (pass-through parsed ${parsed})`);
console.log(`normalize rate:       ${Math.round(N / seconds)} raw events/s (${seconds.toFixed(1)} s)`);
console.log(`pass-through rate:    ${Math.round(N / passSeconds)} raw events/s (event build + JSON.parse)`);
console.log(`ratio:                ${(passSeconds / seconds).toFixed(2)}`);
console.log(`peak RSS:             ${Math.round(peak / MiB)} MiB`);
benchReport('normalizers/replay').record({
  figure: `normalizeRaw on ${N.toLocaleString('en-US')} one-check raw events (no Kafka)`,
  value: N / seconds,
  unit: 'events/s',
  baseline: { name: 'event build + JSON.parse of the same payloads', value: N / passSeconds },
});
