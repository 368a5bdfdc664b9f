// Trivy: Status kept (not_affected is NOT_AFFECTED, not NEW), package licenses and license findings, the Kubernetes
// reports (Resources since 0.50, Vulnerabilities/Misconfigurations per resource before) and the array of results
// written before SchemaVersion 2.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { byRule, run, summary } from './run.ts';

test('trivy Status: not_affected is NOT_AFFECTED; every status is kept as the fix status', () => {
  const r = run('trivy-status-licenses.json');
  assert.deepEqual(summary(r.findings), [
    'VULNERABILITY MEDIUM CVE-2024-0727 NEW x1',
    'VULNERABILITY HIGH CVE-2023-4911 NEW x1',
    'VULNERABILITY LOW CVE-2005-2541 NOT_AFFECTED x1',
    'VULNERABILITY LOW CVE-2022-48303 NEW x1',
    'LICENSE HIGH license/GPL-3.0-or-later NEW x1',
    'LICENSE LOW license/Apache-2.0 NEW x1',
    'LICENSE HIGH license/AGPL-3.0 NEW x1',
  ]);
  assert.deepEqual(
    r.findings.slice(0, 4).map((f) => f.affectedPackage?.fixStatus),
    ['fixed', 'will_not_fix', 'not_affected', 'affected'],
  );
  assert.equal(byRule(r.findings, 'CVE-2005-2541').statusId, 99);
  const ssl = byRule(r.findings, 'CVE-2024-0727');
  assert.deepEqual(ssl.affectedPackage?.licenses, ['Apache-2.0']);
  assert.equal(ssl.affectedPackage?.fixedVersion, '3.0.13-1~deb12u1');
  assert.deepEqual(byRule(r.findings, 'CVE-2023-4911').affectedPackage?.licenses, ['GPL-2.0-only', 'LGPL-2.1']);
  assert.equal(byRule(r.findings, 'CVE-2023-4911').cvss[0]?.baseScore, 7.8, 'computed from the vector');
  assert.equal(byRule(r.findings, 'CVE-2022-48303').cvss[0]?.baseScore, 9.3, 'CVSS 4.0 computed from the vector');
  const gpl = byRule(r.findings, 'license/GPL-3.0-or-later');
  assert.equal(gpl.affectedPackage?.name, 'tar');
  assert.deepEqual(gpl.affectedPackage?.licenses, ['GPL-3.0-or-later']);
  assert.equal(gpl.description, 'License category: restricted');
  const loose = byRule(r.findings, 'license/AGPL-3.0');
  assert.deepEqual(loose.affectedCode, { file: '/opt/vendor/COPYING', line: null, endLine: null });
  assert.equal(loose.confidence, 'HIGH');
});

test('trivy k8s (Resources): each workload is its own target; PASS misconfigurations are not findings', () => {
  const r = run('trivy-k8s.json');
  assert.equal(r.format, 'trivy-json');
  assert.deepEqual(summary(r.findings), [
    'VULNERABILITY HIGH CVE-2023-5363 NEW x1',
    'MISCONFIGURATION HIGH AVD-KSV-0014 NEW x1',
    'VULNERABILITY HIGH CVE-2023-5363 NEW x1',
  ]);
  assert.notEqual(r.findings[0]?.fingerprint, r.findings[2]?.fingerprint, 'web and worker are two workloads');
  assert.equal(r.findings[0]?.affectedPackage?.path, 'docker.io/library/nginx:1.25-alpine (alpine 3.18.4)');
  assert.equal(r.findings[1]?.affectedCode?.file, 'Deployment/web');
  assert.equal(r.findings[1]?.affectedCode?.line, 132);
});

test('trivy k8s before 0.50 gives the same findings and fingerprints as the Resources layout', () => {
  const old = run('trivy-k8s-legacy.json');
  const now = run('trivy-k8s.json');
  assert.deepEqual(summary(old.findings), [
    'VULNERABILITY HIGH CVE-2023-5363 NEW x1',
    'MISCONFIGURATION HIGH AVD-KSV-0014 NEW x1',
  ]);
  assert.deepEqual(
    old.findings.map((f) => f.fingerprint),
    now.findings.slice(0, 2).map((f) => f.fingerprint),
  );
});

test('trivy before SchemaVersion 2 (a top-level array of results) is read, its Target and Type per result', () => {
  const r = run('trivy-legacy.json');
  assert.equal(r.format, 'trivy-json');
  assert.deepEqual(summary(r.findings), [
    'VULNERABILITY HIGH CVE-2019-14697 NEW x1',
    'VULNERABILITY MEDIUM CVE-2019-1543 NEW x1',
    'VULNERABILITY MEDIUM CVE-2019-11236 NEW x1',
  ]);
  assert.deepEqual(r.findings[0]?.affectedPackage, {
    name: 'musl',
    version: '1.1.20-r4',
    fixedVersion: '1.1.20-r5',
    purl: 'pkg:apk/musl@1.1.20-r4',
    path: 'python:3.4-alpine (alpine 3.9.2)',
    ecosystem: 'alpine',
    licenses: [],
    fixStatus: null,
  });
  assert.equal(r.findings[2]?.affectedPackage?.purl, 'pkg:pypi/urllib3@1.24.1');
  assert.equal(r.findings[2]?.affectedPackage?.path, 'app/Pipfile.lock');
});
