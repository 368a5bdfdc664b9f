// Reports far larger than any one Kafka message stream through the ReportNormalizer (what `asmvs normalize` feeds a
// file to) in bounded memory: a 200 MB report of few distinct findings with huge fields is read chunk by chunk and
// only its distinct findings are held. A report of more distinct findings than the cap is refused, on either path,
// not half-returned. The reports are generated, never stored. Memory is asserted as a bound on the live heap's
// growth — a property of the design, not a timing.
import { test } from 'node:test';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import assert from 'node:assert/strict';
import { createReportNormalizer, normalizeRaw } from '../../src/normalizers/index.ts';
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

test('a 200 MB report streams through in bounded memory and yields every distinct finding', () => {
  const { payload: _, ...meta } = rawOf('', { format: 'trivy-json' });
  gc();
  const base = process.memoryUsage().heapUsed;
  let peak = base;
  let chunks = 0;
  const normalizer = createReportNormalizer(meta, PROVENANCE, { now: NOW });
  for (const chunk of bigTrivy(200 * MiB)) {
    normalizer.write(chunk);
    if (++chunks % 25 === 0) {
      gc();
      peak = Math.max(peak, process.memoryUsage().heapUsed);
    }
  }
  const { findings } = normalizer.end();
  // 500 distinct (package, CVE) pairs, each seen ~6 times
  assert.equal(findings.length, 500);
  assert.ok(findings.every((f) => f.occurrences >= 6));
  // 500 findings with descriptions capped at 32 KiB are ~32 MB of two-byte strings at most
  assert.ok(peak - base < 64 * MiB, `the live heap grew by ${Math.round((peak - base) / MiB)} MiB`);
});

test('more distinct findings than the cap are refused with the reason, streamed or in one raw event', () => {
  const { payload: _, ...meta } = rawOf('', { format: 'nuclei-jsonl' });
  const normalizer = createReportNormalizer(meta, PROVENANCE, { now: NOW });
  assert.throws(
    () => {
      for (const chunk of manyNuclei(150_000)) normalizer.write(chunk);
      normalizer.end();
    },
    { code: 'REPORT_TOO_LARGE', message: /more than 100000 distinct findings/ },
  );
  const payload = Buffer.concat([...manyNuclei(150_000)]);
  assert.throws(() => normalizeRaw(rawOf(payload, { format: 'nuclei-jsonl' }), PROVENANCE, { now: NOW }), {
    code: 'REPORT_TOO_LARGE',
    message: /more than 100000 distinct findings/,
  });
});
