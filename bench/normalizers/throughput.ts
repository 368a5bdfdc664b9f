// Parser throughput per format: normalizeRaw (detect, parse, map, fingerprint, de-duplicate) in MB/s against the
// cheapest possible read of the same bytes in the same run — JSON.parse for JSON formats, a saxes tokenise with no
// handlers for XML. Two sizes: 4 MiB (JSON reports are parsed whole: the in-memory path) and 32 MiB (JSON reports
// stream through the tokenizer). Run: node_modules/.bin/node bench/normalizers/throughput.ts [MiB ...]
import { SaxesParser } from 'saxes';
import { normalizeRaw } from '../../src/normalizers/index.ts';
import type { RawFinding } from '../../src/schemas/types.gen.ts';
import { SYNTHETIC } from './synthetic-reports.ts';
import { benchReport } from '../report.ts';

const MiB = 1024 * 1024;
const sizes = (process.argv.length > 2 ? process.argv.slice(2) : ['4', '32']).map((m) => Number(m) * MiB);
const ROUNDS = 3;
const report = benchReport('normalizers/throughput');

function raw(payload: Buffer, format: string): RawFinding {
  return {
    eventId: 'bench',
    requestId: 'bench',
    producedAt: 0,
    producer: { stage: 'bench', version: '0' },
    scanId: 'bench',
    assetId: 'bench',
    target: 'bench',
    address: null,
    scanner: { name: '', version: null },
    format,
    payload,
    truncated: false,
    complete: true,
    part: 0,
    parts: 1,
    startedAt: 0,
    finishedAt: 1,
  };
}

function best(fn: () => void): number {
  let min = Infinity;
  for (let i = 0; i < ROUNDS; i++) {
    const t = performance.now();
    fn();
    min = Math.min(min, performance.now() - t);
  }
  return min / 1000;
}

for (const size of sizes) {
  console.log(`\nreport size ≈ ${size / MiB} MiB, best of ${ROUNDS}`);
  console.log('format              MB/s  baseline MB/s  ratio  findings  findings/s');
  for (const [format, make] of Object.entries(SYNTHETIC)) {
    const bytes = make(size);
    let findings = 0;
    const seconds = best(() => {
      findings = normalizeRaw(
        raw(bytes, format),
        { topic: 'b', partition: 0, offset: 0 },
        { now: 0, maxFindings: 10_000_000 },
      ).findings.length;
    });
    const isXml = format.endsWith('-xml');
    const baseline = best(() => {
      if (isXml) {
        const p = new SaxesParser({ position: false });
        p.write(bytes.toString('utf8')).close();
      } else if (format === 'nuclei-jsonl') {
        for (const line of bytes.toString('utf8').split('\n')) if (line) JSON.parse(line);
      } else {
        JSON.parse(bytes.toString('utf8'));
      }
    });
    const mbs = bytes.length / MiB / seconds;
    const base = bytes.length / MiB / baseline;
    console.log(
      `${format.padEnd(18)} ${mbs.toFixed(1).padStart(5)}  ${base.toFixed(1).padStart(13)}  ${(mbs / base).toFixed(2).padStart(5)}  ${String(findings).padStart(8)}  ${Math.round(
        findings / seconds,
      )
        .toString()
        .padStart(10)}`,
    );
    report.record({
      figure: `${format}, ${size / MiB} MiB report (${findings} findings), best of ${ROUNDS}`,
      value: mbs,
      unit: 'MB/s',
      baseline: { name: isXml ? 'saxes tokenise, no handlers' : 'JSON.parse', value: base },
    });
  }
}
