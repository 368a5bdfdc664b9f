// Version order per ecosystem, as advisory ranges need it: PEP 440 for PyPI, SemVer for npm/Go/crates, and the
// generic order (epochs, numeric runs, pre-release words and ~ before the release) for Debian, Alpine, Maven, ….
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { comparatorFor, compareGeneric } from '../../../src/normalizers/versions/compare-versions.ts';

test('the generic order agrees with dpkg, apk and Maven on the versions advisories use', () => {
  const cases: [string, string, number][] = [
    ['2.10.6-r0', '2.10.7-r0', -1],
    ['1:1.0', '2.0', 1],
    ['1.0~rc1', '1.0', -1],
    ['1.0-SNAPSHOT', '1.0', -1],
    ['1.0.0.pre', '1.0.0', -1],
    ['1.0', '1.0.0', 0],
    ['1.1.1a', '1.1.1', 1],
    ['7.88.1-10+deb12u1', '7.88.1-10+deb12u4', -1],
    ['5.4.1', '5.4.10', -1],
    ['1.0-rc1', '1.0.1', -1],
    ['1.0.Final', '1.0', 0],
    ['2.0.0-beta.2', '2.0.0-beta.10', -1],
    ['1.0-alpha', '1.0-beta', -1],
  ];
  for (const [a, b, expected] of cases) {
    assert.equal(compareGeneric(a, b), expected, `${a} vs ${b}`);
    assert.equal(compareGeneric(b, a), -expected || 0, `${b} vs ${a}`);
  }
  assert.equal(compareGeneric('9a4c9d0b3d5a2d1e0f6c3b8a7e5d4c3b2a1f0e9d', '1.0'), null, 'a commit id is no version');
});

test('PyPI and SemVer ecosystems use their own order', () => {
  assert.equal(comparatorFor('PyPI')('3.2.4', '3.2.11'), -1);
  assert.equal(comparatorFor('PyPI')('4.0a1', '4.0'), -1);
  assert.equal(comparatorFor('PyPI')('3.2.11', '3.2.11.post1'), -1);
  assert.equal(comparatorFor('npm')('4.17.20', '4.17.21'), -1);
  assert.equal(comparatorFor('npm')('1.0.0-rc.1', '1.0.0'), -1);
  assert.equal(comparatorFor('Go')('v1.2.3', '1.10.0'), -1);
});
