// Each format on its fixture: exact finding counts, types, severities, ids and pinned fingerprints.
// A pinned fingerprint changing means every stored finding of that format would be duplicated: change it only with
// a migration plan (see src/normalizers/README.md).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { normalizeRaw } from '../../src/normalizers/index.ts';
import type { Finding } from '../../src/schemas/types.gen.ts';
import { PROVENANCE, NOW, fixture, rawOf } from './raw.ts';

function run(file: string, format = ''): { format: string; findings: Finding[]; complete: boolean } {
  return normalizeRaw(rawOf(fixture(file), { format }), PROVENANCE, { now: NOW });
}

const summary = (fs: Finding[]) => fs.map((f) => `${f.findingType} ${f.severity} ${f.ruleId} x${f.occurrences}`);

test('nmap XML from a real loopback scan: one informational SERVICE finding per open port', () => {
  const r = run('nmap-loopback.xml');
  assert.equal(r.format, 'nmap-xml');
  assert.deepEqual(
    r.findings.map(
      (f) =>
        `${f.asset.port}/${f.asset.protocol} ${f.asset.service} ${f.asset.product ?? '-'} ${f.asset.version ?? '-'}`,
    ),
    [
      '1883/tcp mosquitto version 2.0.11 - -',
      '3306/tcp mysql MySQL 5.5.5-10.11.19-MariaDB-0+deb12u1',
      '4222/tcp vrml-multi-use - -',
      '5432/tcp postgresql PostgreSQL DB 9.6.0 or later',
      '5672/tcp amqp RabbitMQ 3.10.8',
      '6379/tcp redis Redis key-value store 7.0.15',
    ],
  );
  for (const f of r.findings) {
    assert.equal(f.findingType, 'SERVICE');
    assert.equal(f.severity, 'INFO');
    assert.equal(f.severityId, 1);
    assert.equal(f.asset.ip, '127.0.0.1');
    assert.equal(f.asset.hostname, 'localhost');
    assert.equal(f.scanner.version, '7.93');
  }
  assert.equal(r.findings[5]?.fingerprint, '459d8170609be0ebbd8ed77481809de012fcf11667d14e59206ce052d20d7b04');
});

test('nmap XML from a real ssl-enum-ciphers scan: grade A everywhere gives only the service finding', () => {
  const r = run('nmap-loopback-tls.xml');
  assert.deepEqual(summary(r.findings), ['SERVICE INFO open-port x1']);
  assert.equal(r.findings[0]?.asset.service, 'ssl/http');
});

test('nmap XML with vulners and weak TLS: CVEs per port with CVSS, deprecated protocol, cipher grade', () => {
  const r = run('nmap-vulners-weak-tls.xml');
  assert.deepEqual(summary(r.findings), [
    'SERVICE INFO open-port x1',
    'VULNERABILITY CRITICAL CVE-2023-38408 x1',
    'VULNERABILITY HIGH CVE-2021-41617 x1',
    'SERVICE INFO open-port x1',
    'MISCONFIGURATION MEDIUM ssl-enum-ciphers/deprecated-protocol/TLSv1.0 x1',
    'MISCONFIGURATION MEDIUM ssl-enum-ciphers/weak-cipher-grade x1',
    'SERVICE INFO open-port x1',
    'VULNERABILITY CRITICAL CVE-2023-38408 x1',
  ]);
  const cve = r.findings[1];
  assert.deepEqual(cve?.cves, ['CVE-2023-38408']);
  assert.deepEqual(cve?.cvss, [{ version: 'unknown', vector: null, baseScore: 9.8, source: 'vulners' }]);
  assert.equal(cve?.scannerSeverity, '9.8');
  assert.match(r.findings[5]?.evidence ?? '', /SWEET32/);
  assert.equal(r.findings[5]?.scannerSeverity, 'C');
});

test('Trivy JSON: vulnerabilities, failed misconfigurations and secrets; a repeated entry is counted', () => {
  const r = run('trivy-image.json');
  assert.equal(r.format, 'trivy-json');
  assert.deepEqual(summary(r.findings), [
    'VULNERABILITY CRITICAL CVE-2021-36159 x2',
    'VULNERABILITY CRITICAL CVE-2022-37434 x1',
    'VULNERABILITY HIGH CVE-2021-23337 x1',
    'VULNERABILITY HIGH CVE-2021-23337 x1',
    'MISCONFIGURATION HIGH AVD-DS-0002 x1',
    'SECRET CRITICAL aws-access-key-id x1',
  ]);
  const apk = r.findings[0];
  assert.deepEqual(apk?.affectedPackage, {
    name: 'apk-tools',
    version: '2.10.6-r0',
    fixedVersion: '2.10.7-r0',
    purl: 'pkg:apk/alpine/apk-tools@2.10.6-r0?arch=x86_64&distro=3.10.9',
    path: 'registry.example/app:1.0 (alpine 3.10.9)',
    ecosystem: 'alpine',
    licenses: [],
    fixStatus: 'fixed',
  });
  assert.deepEqual(apk?.cvss, [
    { version: '3.1', vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:H', baseScore: 9.1, source: 'nvd' },
    { version: '2.0', vector: 'AV:N/AC:L/Au:N/C:P/I:N/A:P', baseScore: 6.4, source: 'nvd' },
  ]);
  assert.deepEqual(apk?.cwes, ['CWE-125']);
  assert.equal(r.findings[2]?.affectedPackage?.purl, 'pkg:npm/lodash@4.17.20');
  assert.equal(r.findings[5]?.evidence, 'AWS_ACCESS_KEY_ID=********************');
  assert.deepEqual(r.findings[5]?.affectedCode, { file: '/app/.env', line: 3, endLine: 3 });
  assert.equal(apk?.fingerprint, '83781984e99ec4f9f49d472250c309d696f574a321c59ac526614f28ce8d9860');
});

test('Grype JSON: GHSA with related CVE, EPSS, fix versions; the image from `source` keys every match', () => {
  const r = run('grype.json');
  assert.equal(r.format, 'grype-json');
  assert.deepEqual(summary(r.findings), [
    'VULNERABILITY CRITICAL CVE-2021-36159 x1',
    'VULNERABILITY HIGH GHSA-35jh-r3h4-6jhm x1',
    'VULNERABILITY INFO CVE-2019-14697 x1',
  ]);
  const ghsa = r.findings[1];
  assert.deepEqual(ghsa?.cves, ['CVE-2021-23337']);
  assert.deepEqual(ghsa?.advisories, ['GHSA-35jh-r3h4-6jhm']);
  assert.deepEqual(ghsa?.epss, { score: 0.0123, percentile: 0.8512 });
  assert.equal(ghsa?.affectedPackage?.fixedVersion, '4.17.21');
  assert.equal(r.findings[2]?.scannerSeverity, 'Negligible');
  assert.equal(r.findings[2]?.affectedPackage?.purl, 'pkg:apk/musl@1.1.22-r3');
  assert.equal(r.findings[0]?.scanner.version, '0.74.0');
});

test('Nuclei JSONL and JSON: templates per place, matcher names, query strings fold into occurrences', () => {
  const jsonl = run('nuclei.jsonl');
  assert.equal(jsonl.format, 'nuclei-jsonl');
  assert.deepEqual(summary(jsonl.findings), [
    'EXPOSURE INFO tech-detect:nginx x2',
    'VULNERABILITY HIGH CVE-2021-41773 x1',
    'VULNERABILITY HIGH CVE-2021-41773 x1',
    'MISCONFIGURATION HIGH redis-require-auth x1',
  ]);
  const cve = jsonl.findings[1];
  assert.deepEqual(cve?.cwes, ['CWE-22']);
  assert.deepEqual(cve?.epss, { score: 0.97471, percentile: 0.99973 });
  assert.equal(cve?.asset.port, 8080);
  assert.equal(jsonl.findings[3]?.asset.port, 6379);
  const json = run('nuclei.json');
  assert.equal(json.format, 'nuclei-json');
  assert.deepEqual(
    json.findings.map((f) => f.fingerprint),
    [jsonl.findings[1]?.fingerprint, jsonl.findings[3]?.fingerprint],
  );
});

test('SARIF 2.1.0: one finding per result location; security-severity over level; CWE from tags', () => {
  const r = run('semgrep.sarif');
  assert.equal(r.format, 'sarif');
  assert.deepEqual(summary(r.findings), [
    'MISCONFIGURATION MEDIUM javascript.express.security.audit.xss.direct-response-write.direct-response-write x1',
    'MISCONFIGURATION MEDIUM javascript.express.security.audit.xss.direct-response-write.direct-response-write x1',
    'MISCONFIGURATION CRITICAL javascript.lang.security.detect-child-process.detect-child-process x1',
  ]);
  assert.deepEqual(r.findings[0]?.affectedCode, { file: 'src/server.js', line: 12, endLine: 12 });
  assert.deepEqual(r.findings[0]?.cwes, ['CWE-79']);
  assert.equal(r.findings[0]?.confidence, 'HIGH');
  assert.equal(r.findings[2]?.scannerSeverity, 'error (security-severity 9.1)');
});

test('osv-scanner JSON: GHSA ids with CVE aliases, database severity, fixed version from ranges', () => {
  const r = run('osv-scanner.json');
  assert.equal(r.format, 'osv-json');
  assert.deepEqual(summary(r.findings), [
    'VULNERABILITY HIGH GHSA-35jh-r3h4-6jhm x1',
    'VULNERABILITY MEDIUM GHSA-29mw-wpgm-hmr9 x1',
  ]);
  assert.deepEqual(r.findings[0]?.cves, ['CVE-2021-23337']);
  assert.deepEqual(r.findings[0]?.cwes, ['CWE-77', 'CWE-94']);
  assert.equal(r.findings[0]?.affectedPackage?.fixedVersion, '4.17.21');
  assert.equal(r.findings[0]?.affectedPackage?.path, '/src/app/package-lock.json');
  assert.equal(r.findings[0]?.cvss[0]?.version, '3.1');
  assert.equal(r.findings[1]?.scannerSeverity, 'MODERATE');
});

test('ZAP XML and JSON: the same alerts give the same findings and fingerprints', () => {
  const xml = run('zap.xml');
  const json = run('zap.json');
  assert.equal(xml.format, 'zap-xml');
  assert.equal(json.format, 'zap-json');
  const expected = [
    'MISCONFIGURATION MEDIUM 10038-1 x2',
    'MISCONFIGURATION MEDIUM 10038-1 x1',
    'MISCONFIGURATION LOW 10021 x1',
    'MISCONFIGURATION HIGH 40012 x1',
  ];
  assert.deepEqual(summary(xml.findings), expected);
  assert.deepEqual(summary(json.findings), expected);
  assert.deepEqual(
    xml.findings.map((f) => f.fingerprint),
    json.findings.map((f) => f.fingerprint),
  );
  assert.equal(xml.findings[3]?.scannerSeverity, 'High (Medium)');
  assert.deepEqual(xml.findings[3]?.cwes, ['CWE-79']);
  assert.equal(
    xml.findings[0]?.description,
    'Content Security Policy (CSP) is an added layer of security that helps to detect and mitigate certain types of attacks.',
  );
  assert.equal(xml.findings[0]?.scanner.version, '2.14.0');
});

test('OpenVAS/GVM XML: NVT oid per host and port, CVSS from severities, QoD as confidence', () => {
  const r = run('openvas.xml');
  assert.equal(r.format, 'openvas-xml');
  assert.deepEqual(summary(r.findings), [
    'VULNERABILITY CRITICAL 1.3.6.1.4.1.25623.1.0.170511 x1',
    'VULNERABILITY MEDIUM 1.3.6.1.4.1.25623.1.0.117274 x1',
    'MISCONFIGURATION INFO 1.3.6.1.4.1.25623.1.0.105937 x1',
  ]);
  assert.deepEqual(r.findings[1]?.cves, ['CVE-2011-3389', 'CVE-2015-0204']);
  assert.deepEqual(r.findings[1]?.cwes, ['CWE-326']);
  assert.equal(r.findings[1]?.confidence, 'HIGH');
  assert.equal(r.findings[0]?.scannerSeverity, 'High');
  assert.equal(r.findings[0]?.asset.hostname, 'localhost');
  assert.equal(r.findings[2]?.asset.port, null);
});

test('asmvs-checks-json (asmvs-checks/1): services as SERVICE findings, checks keyed by service or URL', () => {
  const r = run('asmvs-checks.json');
  assert.equal(r.format, 'asmvs-checks-json');
  assert.deepEqual(summary(r.findings), [
    'SERVICE INFO open-port x1',
    'SERVICE INFO open-port x1',
    'EXPOSURE HIGH redis-unauthenticated x1',
    'MISCONFIGURATION LOW http-missing-security-headers x1',
  ]);
  assert.equal(r.findings[0]?.asset.protocol, 'tcp');
  assert.equal(r.findings[1]?.asset.url, 'http://127.0.0.1:8081/');
  assert.equal(r.findings[2]?.scanner.name, 'asmvs-checks');
  assert.equal(r.findings[3]?.asset.url, 'http://127.0.0.1:8081/apis');
  assert.equal(r.complete, true);
});

test('asmvs-checks-json that says it is partial is normalized but not complete', () => {
  const partial = fixture('asmvs-checks.json').toString().replace('"truncated": false', '"truncated": true');
  const r = normalizeRaw(rawOf(partial), PROVENANCE, { now: NOW });
  assert.equal(r.findings.length, 4);
  assert.equal(r.complete, false);
});
