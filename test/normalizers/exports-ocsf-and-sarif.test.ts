// Exporters: OCSF Vulnerability Finding (2002) and SARIF 2.1.0, which our own SARIF parser reads back.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { normalizeRaw, toOcsf, toSarif } from '../../src/normalizers/index.ts';
import { NOW, PROVENANCE, fixture, rawOf } from './raw.ts';

const trivy = normalizeRaw(rawOf(fixture('trivy-image.json')), PROVENANCE, { now: NOW }).findings;
const nmap = normalizeRaw(rawOf(fixture('nmap-vulners-weak-tls.xml')), PROVENANCE, { now: NOW }).findings;

test('OCSF: class 2002 with severity, status, finding_info.uid = fingerprint, CVE, CVSS, package, fix', () => {
  const o = toOcsf(trivy[0]!);
  assert.equal(o.class_uid, 2002);
  assert.equal(o.category_uid, 2);
  assert.equal(o.type_uid, 200201);
  assert.equal(o.severity_id, 5);
  assert.equal(o.severity, 'Critical');
  assert.equal(o.status_id, 1);
  assert.equal(o.finding_info.uid, trivy[0]?.fingerprint);
  const v = o.vulnerabilities[0] as {
    cve: { uid: string; cvss: { base_score: number }[] };
    affected_packages: { name: string; fixed_in_version: string }[];
  };
  assert.equal(v.cve.uid, 'CVE-2021-36159');
  assert.equal(v.cve.cvss[0]?.base_score, 9.1);
  assert.deepEqual(
    [v.affected_packages[0]?.name, v.affected_packages[0]?.fixed_in_version],
    ['apk-tools', '2.10.7-r0'],
  );
  const svc = toOcsf(nmap[0]!);
  assert.equal(svc.severity_id, 1);
  assert.deepEqual((svc.resources[0] as { data: { port: number } }).data.port, 22);
  assert.doesNotThrow(() => JSON.stringify(o));
});

test('SARIF 2.1.0: one run per scanner, levels from severity, fingerprints kept, readable by our own parser', () => {
  const log = toSarif([...trivy, ...nmap]);
  assert.equal(log.version, '2.1.0');
  assert.equal(log.runs.length, 2);
  const bytes = Buffer.from(JSON.stringify(log));
  const back = normalizeRaw(rawOf(bytes), PROVENANCE, { now: NOW });
  assert.equal(back.format, 'sarif');
  assert.equal(back.findings.length, trivy.length + nmap.length);
  const results = log.runs.flatMap(
    (r) => r['results'] as { level: string; partialFingerprints: Record<string, string> }[],
  );
  assert.deepEqual(
    results.map((r) => r.partialFingerprints['asmvs/v1']),
    [...trivy, ...nmap].map((f) => f.fingerprint),
  );
  assert.equal(results[0]?.level, 'error');
  assert.equal(results.at(-1)?.level, 'error');
  assert.equal(results[trivy.length]?.level, 'none');
});
