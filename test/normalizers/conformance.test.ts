// One suite for every format: the findings fit the Avro contract, normalizing twice (or replaying the raw event)
// gives identical fingerprints and event ids, fingerprints are unique within a report, and the report fed in small
// chunks through the streaming parsers gives the same findings as one payload.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import avro from 'avsc';
import { createReportNormalizer, normalizeRaw } from '../../src/normalizers/index.ts';
import { schemaOf } from '../../src/schemas/registry-files.ts';
import { NOW, PROVENANCE, fixture, rawOf } from './raw.ts';

const FILES = [
  'nmap-loopback.xml',
  'nmap-loopback-tls.xml',
  'nmap-vulners-weak-tls.xml',
  'trivy-image.json',
  'grype.json',
  'nuclei.jsonl',
  'nuclei.json',
  'semgrep.sarif',
  'osv-scanner.json',
  'zap.xml',
  'zap.json',
  'openvas.xml',
  'asmvs-checks.json',
];

const findingType = avro.Type.forSchema(schemaOf('normalized-findings') as avro.Schema, { logicalTypes: {} });

for (const file of FILES) {
  test(`${file}: valid Avro, deterministic, unique fingerprints, same in small chunks`, () => {
    const raw = rawOf(fixture(file));
    const first = normalizeRaw(raw, PROVENANCE, { now: NOW });
    const again = normalizeRaw(raw, PROVENANCE, { now: NOW + 1 });
    assert.ok(first.findings.length > 0);
    assert.deepEqual(
      first.findings.map((f) => [f.fingerprint, f.eventId]),
      again.findings.map((f) => [f.fingerprint, f.eventId]),
    );
    assert.equal(new Set(first.findings.map((f) => f.fingerprint)).size, first.findings.length);
    for (const f of first.findings) {
      const errors: string[] = [];
      assert.ok(
        findingType.isValid(f, { errorHook: (path) => errors.push(path.join('.')) }),
        `${f.ruleId}: ${errors.join(', ')}`,
      );
      assert.match(f.fingerprint, /^[0-9a-f]{64}$/);
      assert.equal(f.provenance.rawEventId, raw.eventId);
      assert.equal(f.provenance.offset, PROVENANCE.offset);
      assert.equal(f.asset.assetId, raw.assetId);
      assert.equal(f.firstSeen, raw.finishedAt);
      assert.deepEqual(f.cves, [...f.cves].sort());
    }

    // 7-byte chunks, jsonTreeLimit 0: JSON goes through the streaming tokenizer, not JSON.parse
    const { payload, ...meta } = raw;
    const normalizer = createReportNormalizer(meta, PROVENANCE, { now: NOW, jsonTreeLimit: 0 });
    for (const c of chunk(payload, 7)) normalizer.write(c);
    assert.deepEqual(normalizer.end(), first);
  });
}

test('a replay of the same raw event from another offset keeps fingerprints and event ids', () => {
  const raw = rawOf(fixture('trivy-image.json'));
  const a = normalizeRaw(raw, PROVENANCE, { now: NOW });
  const b = normalizeRaw(
    raw,
    { topic: 'raw-findings', partition: 3, offset: 9_999 },
    { now: NOW + 86_400_000, normalizerVersion: '9.9.9' },
  );
  assert.deepEqual(
    a.findings.map((f) => [f.fingerprint, f.eventId]),
    b.findings.map((f) => [f.fingerprint, f.eventId]),
  );
  assert.equal(b.findings[0]?.normalizerVersion, '9.9.9');
});

test('a rescan (another raw event) keeps fingerprints and changes event ids', () => {
  const a = normalizeRaw(rawOf(fixture('zap.xml')), PROVENANCE, { now: NOW });
  const b = normalizeRaw(rawOf(fixture('zap.xml'), { eventId: 'raw-event-2', scanId: 'scan-2' }), PROVENANCE, {
    now: NOW,
  });
  assert.deepEqual(
    a.findings.map((f) => f.fingerprint),
    b.findings.map((f) => f.fingerprint),
  );
  for (let i = 0; i < a.findings.length; i++) assert.notEqual(a.findings[i]?.eventId, b.findings[i]?.eventId);
});

function* chunk(buf: Buffer, size: number): Generator<Uint8Array> {
  for (let i = 0; i < buf.length; i += size) yield buf.subarray(i, i + size);
}
