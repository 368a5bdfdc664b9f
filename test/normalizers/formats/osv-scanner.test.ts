// osv-scanner: the fixed version is the one that closes the affected range holding the installed version (OSV
// schema, "affected[].ranges"): never the first fix of the first range (for Django 3.2.4 that is 2.2.26, a
// downgrade), never a GIT range's commit id, and no claim when no range holds the version. CWEs from
// database_specific; CVSS base scores computed from the vectors OSV gives alone.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { byRule, run, summary } from './run.ts';

const r = run('osv-scanner-ranges.json');

test('osv-scanner: one finding per advisory and package, severity from the database, the group or the vectors', () => {
  assert.equal(r.format, 'osv-json');
  assert.deepEqual(summary(r.findings), [
    'VULNERABILITY HIGH PYSEC-2022-2 NEW x1',
    'VULNERABILITY MEDIUM GHSA-6cw3-g6wv-c2xv NEW x1',
    'VULNERABILITY HIGH GHSA-xpfp-f569-q3p2 NEW x1',
    'VULNERABILITY INFO GO-2023-2102 NEW x1',
    'VULNERABILITY HIGH OSV-2022-1037 NEW x1',
    'VULNERABILITY CRITICAL DSA-5570-1 NEW x1',
    'VULNERABILITY LOW GHSA-wqq4-5wpv-mx2g NEW x1',
  ]);
});

test('osv-scanner: the fix of the range that holds the installed version, in every ecosystem', () => {
  const fixed = (id: string) => byRule(r.findings, id).affectedPackage?.fixedVersion;
  assert.equal(fixed('PYSEC-2022-2'), '3.2.11', 'Django 3.2.4 is in [3.0, 3.2.11), not [2.2, 2.2.26)');
  assert.equal(fixed('GHSA-6cw3-g6wv-c2xv'), null, 'Django 3.2.4 is the fix of [3.2, 3.2.4): in no range, no claim');
  assert.equal(fixed('GHSA-xpfp-f569-q3p2'), '0.27.0');
  assert.equal(fixed('GO-2023-2102'), '0.17.0');
  assert.equal(fixed('OSV-2022-1037'), null, 'a GIT range names commits, never versions');
  assert.equal(fixed('DSA-5570-1'), '7.88.1-10+deb12u4', 'Debian order: deb12u1 < deb12u4');
  assert.equal(fixed('GHSA-wqq4-5wpv-mx2g'), null, 'last_affected: affected, no fix');
  for (const f of r.findings) assert.doesNotMatch(f.affectedPackage?.fixedVersion ?? '', /^[0-9a-f]{40}$/);
});

test('osv-scanner: ids, CWEs from database_specific (cwe_ids and cwes), computed CVSS, package fields', () => {
  const django = byRule(r.findings, 'PYSEC-2022-2');
  assert.deepEqual(django.cves, ['CVE-2021-45115']);
  assert.deepEqual(django.advisories, ['GHSA-53qw-q765-4fww', 'PYSEC-2022-2']);
  assert.deepEqual(django.cvss, [
    { version: '3.1', vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H', baseScore: 7.5, source: 'CVSS_V3' },
  ]);
  assert.equal(django.scannerSeverity, '7.5');
  assert.deepEqual(django.affectedPackage, {
    name: 'Django',
    version: '3.2.4',
    fixedVersion: '3.2.11',
    purl: 'pkg:pypi/django@3.2.4',
    path: '/src/svc/requirements.txt',
    ecosystem: 'PyPI',
    licenses: [],
    fixStatus: null,
  });
  assert.deepEqual(byRule(r.findings, 'GHSA-6cw3-g6wv-c2xv').cwes, ['CWE-22']);
  assert.equal(byRule(r.findings, 'GHSA-6cw3-g6wv-c2xv').cvss[0]?.baseScore, 2.7);
  const starlette = byRule(r.findings, 'GHSA-xpfp-f569-q3p2');
  assert.deepEqual(starlette.cwes, ['CWE-22'], 'from affected[].database_specific.cwes[].cweId');
  assert.deepEqual(starlette.cvss[0], {
    version: '4.0',
    vector: 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:N/VA:N/SC:N/SI:N/SA:N',
    baseScore: 8.7,
    source: 'CVSS_V4',
  });
  assert.equal(starlette.severity, 'HIGH', 'no database label, no group score: the computed 8.7');
  assert.equal(byRule(r.findings, 'DSA-5570-1').cvss[0]?.baseScore, 9.8);
  assert.deepEqual(byRule(r.findings, 'GHSA-wqq4-5wpv-mx2g').cwes, ['CWE-400']);
  assert.equal(byRule(r.findings, 'GO-2023-2102').affectedPackage?.purl, 'pkg:golang/golang.org/x/net@0.7.0');
});
