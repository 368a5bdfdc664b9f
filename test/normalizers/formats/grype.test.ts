// Grype: the matcher and match type are kept (matchedBy); a CPE-only match is of medium confidence; fix state and
// artifact licenses are kept; a CVSS vector without a score gets one computed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { byRule, run, summary } from './run.ts';

test('grype: matcher, confidence, fix state, licenses, related CVE and computed CVSS', () => {
  const r = run('grype-java.json');
  assert.equal(r.format, 'grype-json');
  assert.deepEqual(summary(r.findings), [
    'VULNERABILITY CRITICAL GHSA-jfh8-c2jp-5v3q NEW x1',
    'VULNERABILITY CRITICAL CVE-2021-45046 NEW x1',
    'VULNERABILITY HIGH CVE-2023-26464 NEW x1',
  ]);
  const ghsa = byRule(r.findings, 'GHSA-jfh8-c2jp-5v3q');
  assert.equal(ghsa.matchedBy, 'java-matcher exact-direct-match');
  assert.equal(ghsa.confidence, 'HIGH');
  assert.deepEqual(ghsa.cves, ['CVE-2021-44228']);
  assert.equal(ghsa.cvss[0]?.baseScore, 10);
  assert.deepEqual(ghsa.affectedPackage, {
    name: 'log4j-core',
    version: '2.14.1',
    fixedVersion: '2.15.0',
    purl: 'pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1',
    path: '/app/lib/log4j-core-2.14.1.jar',
    ecosystem: 'java-archive',
    licenses: ['Apache-2.0'],
    fixStatus: 'fixed',
  });
  const cpe = byRule(r.findings, 'CVE-2021-45046');
  assert.equal(cpe.matchedBy, 'java-matcher cpe-match');
  assert.equal(cpe.confidence, 'MEDIUM');
  assert.deepEqual(cpe.affectedPackage?.licenses, ['Apache-2.0'], 'license objects: their value');
  const wont = byRule(r.findings, 'CVE-2023-26464');
  assert.equal(wont.affectedPackage?.fixStatus, 'wont-fix');
  assert.equal(wont.affectedPackage?.fixedVersion, null);
  assert.equal(wont.cvss[0]?.baseScore, 7.5, 'no metrics in the report: computed from the vector');
  assert.equal(r.findings[0]?.scanner.version, '0.74.7');
  assert.equal(byRule(run('grype.json').findings, 'CVE-2021-36159').matchedBy, 'apk-matcher exact-direct-match');
});
