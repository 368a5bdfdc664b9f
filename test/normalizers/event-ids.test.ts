// Finding event ids: deterministic per (raw event, fingerprint, count), 32 hex characters, distinct within a report,
// across raw events and between a finding's first emission and its count correction.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { normalizeRaw } from '../../src/normalizers/index.ts';
import { eventIdPrefix, findingEventId } from '../../src/normalizers/finding-from-draft.ts';
import { NOW, PROVENANCE, fixture, rawOf } from './raw.ts';

test('a finding seen once: the raw event prefix and the fingerprint head, 32 hex characters', () => {
  const { findings } = normalizeRaw(rawOf(fixture('trivy-image.json')), PROVENANCE, { now: NOW });
  const prefix = eventIdPrefix('raw-event-1');
  for (const f of findings.filter((x) => x.occurrences === 1)) {
    assert.match(f.eventId, /^[0-9a-f]{32}$/);
    assert.equal(f.eventId, prefix + f.fingerprint.slice(0, 16));
  }
  assert.equal(new Set(findings.map((f) => f.eventId)).size, findings.length);
});

test('another raw event with the same report gets other ids for the same fingerprints', () => {
  const a = normalizeRaw(rawOf(fixture('nuclei.jsonl')), PROVENANCE, { now: NOW });
  const b = normalizeRaw(rawOf(fixture('nuclei.jsonl'), { eventId: 'raw-event-2' }), PROVENANCE, { now: NOW });
  assert.deepEqual(
    a.findings.map((f) => f.fingerprint),
    b.findings.map((f) => f.fingerprint),
  );
  const ids = new Set(a.findings.map((f) => f.eventId));
  for (const f of b.findings) assert.ok(!ids.has(f.eventId));
});

test('a repeated finding hashes its count in: the correction differs from the first emission', () => {
  const fp = 'ab'.repeat(32);
  const prefix = eventIdPrefix('r');
  const once = findingEventId(prefix, 'r', fp, 1);
  const twice = findingEventId(prefix, 'r', fp, 2);
  assert.match(twice, /^[0-9a-f]{32}$/);
  assert.notEqual(once, twice);
  assert.notEqual(twice, findingEventId(prefix, 'r', fp, 3));
  assert.equal(twice, findingEventId(prefix, 'r', fp, 2));
});
