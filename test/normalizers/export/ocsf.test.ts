// OCSF export: every finding of every fixture report, and the awkward ones, is an event of the OCSF version it
// declares, validated against that version's own schema files (test/fixtures/ocsf-1.8.0/): Vulnerability Finding
// (2002) when the finding names a CVE, CWE or advisory, Detection Finding (2004) otherwise.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { OCSF_VERSION, ocsfChunks, toOcsf } from '../../../src/normalizers/export/ocsf.ts';
import { OcsfSchema } from './ocsf-schema.ts';
import { CONTEXT, allFixtureFindings, awkwardFindings, fixtureFindings } from './findings.ts';

const SCHEMA_DIR = process.env['OCSF_SCHEMA_DIR']
  ? new URL(`file://${process.env['OCSF_SCHEMA_DIR']}/`)
  : new URL(`../../fixtures/ocsf-${OCSF_VERSION}/`, import.meta.url);
const schema = new OcsfSchema(SCHEMA_DIR);
const CLASS_FILE: Record<number, string> = {
  2002: 'findings/vulnerability_finding',
  2004: 'findings/detection_finding',
};

test('the exporter declares the version of the vendored schema', () => {
  assert.equal(schema.version, OCSF_VERSION);
});

test('every finding is a valid OCSF event of its class: no error, no warning', () => {
  const problems: string[] = [];
  for (const [name, findings] of [...fixtureFindings(), ['awkward', awkwardFindings()] as const]) {
    for (const f of findings) {
      const event = toOcsf(f, CONTEXT);
      const { errors, warnings } = schema.validate(event, CLASS_FILE[event.class_uid]!);
      for (const p of [...errors, ...warnings]) problems.push(`${name} ${f.ruleId ?? f.fingerprint}: ${p}`);
    }
  }
  assert.deepEqual(problems, []);
});

test('CVEs, CWEs and advisories make 2002 events with one identifier per vulnerability; the rest are 2004', () => {
  const findings = allFixtureFindings();
  const trivyFinding = findings.find((f) => f.cves[0] === 'CVE-2021-36159' && f.scanner.name === 'trivy')!;
  const trivy = toOcsf(trivyFinding);
  assert.equal(trivy.class_uid, 2002);
  assert.equal(trivy.type_uid, 200201);
  const v = (trivy['vulnerabilities'] as Record<string, unknown>[])[0]!;
  assert.equal((v['cve'] as { uid: string }).uid, 'CVE-2021-36159');
  assert.deepEqual((v['cve'] as { related_cwes: unknown }).related_cwes, [{ uid: 'CWE-125' }]);
  assert.equal('cwe' in v, false);
  assert.equal((v['cve'] as { cvss: { base_score: number }[] }).cvss[0]?.base_score, 9.1);
  const pkg = (v['affected_packages'] as { name: string; fixed_in_version: string }[])[0]!;
  assert.deepEqual([pkg.name, pkg.fixed_in_version], ['apk-tools', '2.10.7-r0']);
  assert.equal(trivy.severity_id, 5);
  assert.equal(trivy.finding_info.uid, trivyFinding.fingerprint);
  const zap = toOcsf(findings.find((f) => f.scanner.name === 'zap')!);
  assert.equal(zap.class_uid, 2002);
  assert.deepEqual((zap['vulnerabilities'] as { cwe: unknown }[])[0]!.cwe, { uid: 'CWE-693' });
  const service = toOcsf(findings.find((f) => f.findingType === 'SERVICE')!);
  assert.equal(service.class_uid, 2004);
  assert.equal(service['is_alert'], false);
  assert.equal(JSON.stringify(service).includes('null'), false);
});

test('an invalid event is caught: the validator is not a rubber stamp', () => {
  const event = toOcsf(allFixtureFindings().find((f) => f.cves.length > 0)!) as Record<string, unknown>;
  const broken = { ...event, severity_id: 9, finding_info: { title: 'no uid' }, resources: null, made_up: 1 };
  const { errors } = schema.validate(broken, 'findings/vulnerability_finding');
  for (const expected of [
    /severity_id: 9 is not in the enum/,
    /finding_info\.uid: required/,
    /resources: null/,
    /made_up: not an attribute/,
  ])
    assert.ok(
      errors.some((e) => expected.test(e)),
      `${expected}: ${errors.join('; ')}`,
    );
});

test('the chunks make one JSON array of the same events', () => {
  const findings = allFixtureFindings().slice(0, 20);
  assert.deepEqual(
    JSON.parse([...ocsfChunks(findings, CONTEXT)].join('')),
    findings.map((f) => toOcsf(f, CONTEXT)),
  );
});
