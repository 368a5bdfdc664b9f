// CVSS base scores computed from vectors (FIRST's specifications, through ae-cvss-calculator) when a report gives a
// vector alone; a report's own score is kept; incomplete or malformed vectors get no score rather than a guess.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makeCvss } from '../../src/normalizers/cvss.ts';

test('base scores of the specifications’ examples, versions 2.0 to 4.0', () => {
  const score = (vector: string) => makeCvss({ vector })?.baseScore;
  assert.equal(score('AV:N/AC:L/Au:N/C:P/I:N/A:P'), 6.4);
  assert.equal(score('CVSS:3.0/AV:N/AC:L/PR:N/UI:R/S:U/C:H/I:H/A:H'), 8.8);
  assert.equal(score('CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:H'), 9.1);
  assert.equal(score('CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N'), 6.1);
  assert.equal(score('CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H'), 10);
  assert.equal(score('CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N'), 9.3);
  assert.equal(score('CVSS:4.0/AV:L/AC:L/AT:N/PR:L/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N'), 8.5);
});

test('a given score wins; incomplete, unknown or malformed vectors have no score', () => {
  assert.equal(makeCvss({ vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:H', score: 9 })?.baseScore, 9);
  assert.equal(makeCvss({ vector: 'CVSS:3.1/AV:N' })?.baseScore, null);
  assert.equal(makeCvss({ vector: 'CVSS:3.1/AV:Q/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:H' })?.baseScore, null);
  assert.equal(makeCvss({ vector: 'CVSS:9.9/AV:N' })?.baseScore, null);
});
