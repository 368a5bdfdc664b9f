// ReportDeduplicator: distinct findings in report order, repeats merged into the first copy with their count, the cap
// on distinct findings — the same whether a report holds one finding (kept without a map) or many.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ReportDeduplicator } from '../../src/normalizers/dedup.ts';
import { normalizeRaw } from '../../src/normalizers/index.ts';
import type { Finding } from '../../src/schemas/types.gen.ts';
import { NOW, PROVENANCE, rawOf } from './raw.ts';

const check = (id: string, port: number, extra: Record<string, unknown> = {}) => ({
  id,
  host: '10.0.0.1',
  port,
  ...extra,
});
const findingsOf = (checks: unknown[], maxFindings?: number): Finding[] =>
  normalizeRaw(
    rawOf(JSON.stringify({ scanner: { name: 'asmvs-checks' }, checks }), { format: 'asmvs-checks-json' }),
    PROVENANCE,
    { now: NOW, ...(maxFindings === undefined ? {} : { maxFindings }) },
  ).findings;

test('no finding, one finding, one finding repeated', () => {
  assert.deepEqual(new ReportDeduplicator(10).findings(), []);
  const [one] = findingsOf([check('a', 1)]);
  assert.equal(one?.occurrences, 1);
  const repeated = findingsOf([check('a', 1), check('a', 1, { cves: ['CVE-2024-0002'] }), check('a', 1)]);
  assert.equal(repeated.length, 1);
  assert.equal(repeated[0]?.occurrences, 3);
  assert.deepEqual(repeated[0]?.cves, ['CVE-2024-0002']);
  // the count is part of a repeated finding's id
  assert.notEqual(repeated[0]?.eventId, one?.eventId);
  assert.equal(repeated[0]?.fingerprint, one?.fingerprint);
});

test('distinct findings keep report order; repeats of the first and of later ones are merged into them', () => {
  const found = findingsOf([check('a', 1), check('b', 2), check('a', 1), check('c', 3), check('b', 2), check('a', 1)]);
  assert.deepEqual(
    found.map((f) => [f.ruleId, f.occurrences]),
    [
      ['a', 3],
      ['b', 2],
      ['c', 1],
    ],
  );
});

test('the cap counts distinct findings only: the first past it is refused, repeats never are', () => {
  assert.equal(findingsOf([check('a', 1), check('a', 1), check('a', 1)], 1)[0]?.occurrences, 3);
  assert.throws(() => findingsOf([check('a', 1), check('a', 1), check('b', 2)], 1), {
    code: 'REPORT_TOO_LARGE',
    message: /more than 1 distinct findings/,
  });
  assert.equal(findingsOf([check('a', 1), check('b', 2), check('a', 1)], 2).length, 2);
  assert.throws(() => findingsOf([check('a', 1), check('b', 2), check('c', 3)], 2), { code: 'REPORT_TOO_LARGE' });
  assert.throws(() => findingsOf([check('a', 1)], 0), { code: 'REPORT_TOO_LARGE' });
});
