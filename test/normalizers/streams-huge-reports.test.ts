// Reports far larger than any one Kafka message stream through normalizeStream in bounded memory: a 200 MB report
// (few findings, huge fields) and a report of a million distinct findings. The reports are generated, never stored.
// Memory is asserted as a bound on the live heap's growth — a property of the design, not a timing.
import { test } from 'node:test';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import assert from 'node:assert/strict';
import { normalizeRaw, normalizeStream } from '../../src/normalizers/index.ts';
import { NOW, PROVENANCE, rawOf } from './raw.ts';

const MiB = 1024 * 1024;

/** A Trivy report of `bytes` bytes: vulnerabilities with 64 KiB descriptions, 1 MiB chunks. */
function* bigTrivy(bytes: number): Generator<Uint8Array> {
  const description = 'x'.repeat(64 * 1024);
  yield Buffer.from(
    '{"SchemaVersion":2,"ArtifactName":"big:1","Results":[{"Target":"t","Type":"npm","Vulnerabilities":[',
  );
  let sent = 0;
  let i = 0;
  let pending: string[] = [];
  while (sent < bytes) {
    const item = `${i ? ',' : ''}{"VulnerabilityID":"CVE-2024-${10000 + (i % 500)}","PkgName":"p${i % 500}","InstalledVersion":"1.0.0","Severity":"HIGH","Description":"${description}"}`;
    pending.push(item);
    sent += item.length;
    i++;
    if (pending.length === 16) {
      yield Buffer.from(pending.join(''));
      pending = [];
    }
  }
  yield Buffer.from(pending.join('') + ']}]}');
}

/** Nuclei JSONL with `n` distinct results (different ports and paths), in ~1 MiB chunks. */
function* manyNuclei(n: number): Generator<Uint8Array> {
  let lines: string[] = [];
  for (let i = 0; i < n; i++) {
    lines.push(
      `{"template-id":"t${i % 100}","info":{"severity":"low","name":"n"},"matched-at":"http://127.0.0.1:${1024 + (i % 60000)}/p${Math.floor(i / 60000)}"}`,
    );
    if (lines.length === 8000) {
      yield Buffer.from(lines.join('\n') + '\n');
      lines = [];
    }
  }
  if (lines.length) yield Buffer.from(lines.join('\n'));
}

// A forced collection before each sample measures what is live, not the garbage V8 has not collected yet.
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

async function measure(gen: AsyncGenerator<unknown[], unknown>): Promise<{ findings: number; peakGrowth: number }> {
  gc();
  const base = process.memoryUsage().heapUsed;
  let peak = base;
  let findings = 0;
  let batches = 0;
  for await (const batch of gen) {
    findings += batch.length;
    if (++batches % 25 === 0) {
      gc();
      peak = Math.max(peak, process.memoryUsage().heapUsed);
    }
  }
  return { findings, peakGrowth: peak - base };
}

test('a 200 MB report streams through in bounded memory and yields every distinct finding', async () => {
  const raw = rawOf('', { format: 'trivy-json' });
  const { findings, peakGrowth } = await measure(normalizeStream(bigTrivy(200 * MiB), raw, PROVENANCE, { now: NOW }));
  // 500 distinct (package, CVE) pairs; the ~3,100 repeats are counted, and the 500 come again with final counts
  assert.equal(findings, 1000);
  assert.ok(peakGrowth < 64 * MiB, `the live heap grew by ${Math.round(peakGrowth / MiB)} MiB`);
});

test('a million distinct findings stream through in bounded memory', async () => {
  const raw = rawOf('', { format: 'nuclei-jsonl' });
  const gen = normalizeStream(manyNuclei(1_000_000), raw, PROVENANCE, { now: NOW, batchSize: 5000 });
  const { findings, peakGrowth } = await measure(gen);
  assert.equal(findings, 1_000_000);
  // the remembered fingerprints grow with the report (~60 bytes each); the findings themselves do not accumulate
  assert.ok(peakGrowth < 128 * MiB, `the live heap grew by ${Math.round(peakGrowth / MiB)} MiB`);
});

test('the same million-finding report in one raw event is refused with the reason, not half-returned', () => {
  const payload = Buffer.concat([...manyNuclei(200_000)]);
  assert.throws(() => normalizeRaw(rawOf(payload, { format: 'nuclei-jsonl' }), PROVENANCE, { now: NOW }), {
    code: 'OUTPUT_TOO_LARGE',
    message: /more than 100000 distinct findings; normalize it as a stream/,
  });
});
