// Large outputs stream: the table of 200,000 findings (Math.max(...widths) threw past ~100k) and a JSON export larger
// than V8's longest string (JSON.stringify of the whole array threw at ~930k findings) are written chunk by chunk,
// no chunk holding more than a few findings.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { printFindings } from '../../src/cli/print-findings.ts';
import type { Sink } from '../../src/cli/output-sink.ts';
import type { Finding } from '../../src/app/findings.ts';
import { CONTEXT, finding } from '../normalizers/export/findings.ts';

// V8's string length limit is 2^29 - 24 characters on 64-bit builds.
const MAX_STRING = 2 ** 29 - 24;

function counting(): Sink & { bytes: number; chunks: number; largest: number; first: string; last: string } {
  const s = {
    terminal: false,
    bytes: 0,
    chunks: 0,
    largest: 0,
    first: '',
    last: '',
    write(chunk: string) {
      s.bytes += chunk.length;
      s.chunks += 1;
      s.largest = Math.max(s.largest, chunk.length);
      if (s.chunks <= 2) s.first += chunk;
      s.last = chunk;
      return Promise.resolve();
    },
    end: () => Promise.resolve(),
  };
  return s;
}

function many(n: number, description: string): Finding[] {
  const base = finding({ description });
  return Array.from({ length: n }, (_, i) => ({
    ...base,
    fingerprint: i.toString(16).padStart(64, '0'),
    asset: { ...base.asset, port: (i % 65535) + 1, ip: `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}` },
  }));
}

test('a table of 200,000 findings is written line by line', async () => {
  const sink = counting();
  await printFindings(sink, many(200_000, 'd'), { quiet: true }, CONTEXT, () => '');
  assert.equal(sink.chunks, 200_002, 'header, rule, one line per finding');
  assert.ok(sink.largest < 300);
});

test('a JSON export longer than any string V8 can hold is written a finding at a time, and is JSON', async () => {
  const findings = many(60_000, 'x'.repeat(9_000)); // one description string shared: little memory
  const sink = counting();
  await printFindings(sink, findings, { format: 'json', quiet: true }, CONTEXT, () => '');
  assert.ok(sink.bytes > MAX_STRING, `${sink.bytes} characters written`);
  assert.ok(sink.largest < 12_000, `the largest chunk is ${sink.largest} characters: one finding`);
  assert.equal((JSON.parse(`${sink.first}\n]`) as unknown[]).length, 2);
  assert.equal(sink.last, '\n]\n');
});
