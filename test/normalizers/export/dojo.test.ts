// DefectDojo Generic Findings Import: every finding passes the checks DefectDojo's generic JSON parser makes before
// it builds a Finding (dojo/tools/generic/json_parser.py: required keys, the allowed keys — an unknown one fails the
// whole import —, endpoints as Endpoint fields, a date it parses) and the model's field types; the fingerprint is
// unique_id_from_tool and the CVSS 3 vector, CVEs and CWE are where DefectDojo reads them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dojoChunks, toDojoFinding } from '../../../src/normalizers/export/dojo.ts';
import { CONTEXT, allFixtureFindings, awkwardFindings } from './findings.ts';

// The parser's lists, as of DefectDojo 2.50, less the keys added after 2.30 (an older DefectDojo rejects those).
const REQUIRED = ['title', 'severity', 'description'];
const POPPED = ['endpoints', 'files', 'tags', 'vulnerability_ids'];
const ALLOWED = new Set([
  ...REQUIRED,
  ...POPPED,
  'date', 'cwe', 'cve', 'cvssv3', 'cvssv3_score', 'mitigation', 'impact', 'steps_to_reproduce',
  'severity_justification', 'references', 'active', 'verified', 'false_p', 'out_of_scope', 'risk_accepted',
  'under_review', 'is_mitigated', 'thread_id', 'mitigated', 'numerical_severity', 'param', 'payload', 'line',
  'file_path', 'component_name', 'component_version', 'static_finding', 'dynamic_finding', 'scanner_confidence',
  'unique_id_from_tool', 'vuln_id_from_tool', 'sast_source_object', 'sast_sink_object', 'sast_source_line',
  'sast_source_file_path', 'nb_occurences', 'publish_date', 'service', 'planned_remediation_date',
  'planned_remediation_version', 'effort_for_fixing',
]); // prettier-ignore
const ENDPOINT_FIELDS = new Set(['protocol', 'userinfo', 'host', 'port', 'path', 'query', 'fragment']);
const SEVERITIES = new Set(['Info', 'Low', 'Medium', 'High', 'Critical']);

function problemsOf(item: Record<string, unknown>): string[] {
  const problems: string[] = [];
  for (const key of REQUIRED) if (!(key in item)) problems.push(`missing ${key}`);
  for (const key of Object.keys(item)) if (!ALLOWED.has(key)) problems.push(`not allowed: ${key}`);
  if (!SEVERITIES.has(item['severity'] as string)) problems.push(`severity ${String(item['severity'])}`);
  if ('date' in item && !/^\d{4}-\d{2}-\d{2}$/.test(item['date'] as string)) problems.push('date');
  if ('cwe' in item && !Number.isSafeInteger(item['cwe'])) problems.push('cwe is not an integer');
  if ('line' in item && !Number.isSafeInteger(item['line'])) problems.push('line is not an integer');
  if ('nb_occurences' in item && !Number.isSafeInteger(item['nb_occurences'])) problems.push('nb_occurences');
  if ('cvssv3' in item && !/^CVSS:3\.[01]\/(?:[A-Z]{1,3}:[A-Z]\/?)+$/.test(item['cvssv3'] as string))
    problems.push(`cvssv3 ${String(item['cvssv3'])}`);
  if ('cvssv3_score' in item && typeof item['cvssv3_score'] !== 'number') problems.push('cvssv3_score');
  for (const key of ['title', 'description', 'mitigation', 'references', 'unique_id_from_tool', 'file_path'])
    if (key in item && typeof item[key] !== 'string') problems.push(`${key} is not text`);
  if ((item['title'] as string).length > 511) problems.push('title longer than the model allows (511)');
  for (const e of (item['endpoints'] as Record<string, unknown>[] | undefined) ?? []) {
    for (const key of Object.keys(e)) if (!ENDPOINT_FIELDS.has(key)) problems.push(`endpoint field ${key}`);
    if (typeof e['host'] !== 'string' || e['host'].includes('[')) problems.push(`endpoint host ${String(e['host'])}`);
    if ('port' in e && !Number.isSafeInteger(e['port'])) problems.push('endpoint port');
    if (typeof e['path'] === 'string' && e['path'].startsWith('/')) problems.push('endpoint path starts with /');
  }
  for (const id of (item['vulnerability_ids'] as unknown[] | undefined) ?? [])
    if (typeof id !== 'string') problems.push('a vulnerability id is not text');
  return problems;
}

const all = [...allFixtureFindings(), ...awkwardFindings()];

test('every finding passes the generic parser’s checks', () => {
  const problems = all.flatMap((f) => problemsOf(toDojoFinding(f)).map((p) => `${f.scanner.name} ${f.ruleId}: ${p}`));
  assert.deepEqual(problems, []);
});

test('the file is one JSON document: report fields, then the findings in order', () => {
  const doc = JSON.parse([...dojoChunks(all, CONTEXT)].join('')) as { type: string; findings: unknown[] };
  assert.equal(doc.type, 'asmvs');
  assert.deepEqual(
    doc.findings,
    all.map((f) => toDojoFinding(f)),
  );
});

test('fingerprint, rule, CVEs, CWE, CVSS vector, endpoints and packages are where DefectDojo reads them', () => {
  const trivy = all.find((f) => f.scanner.name === 'trivy' && f.cves[0] === 'CVE-2021-36159')!;
  const d = toDojoFinding(trivy);
  assert.equal(d['unique_id_from_tool'], trivy.fingerprint);
  assert.equal(d['vuln_id_from_tool'], 'CVE-2021-36159');
  assert.deepEqual(d['vulnerability_ids'], ['CVE-2021-36159']);
  assert.equal(d['cwe'], 125);
  assert.match(d['cvssv3'] as string, /^CVSS:3\.1\/AV:N/);
  assert.equal(d['severity'], 'Critical');
  assert.deepEqual([d['component_name'], d['component_version']], ['apk-tools', '2.10.6-r0']);
  const ipv6 = toDojoFinding(awkwardFindings()[0]!);
  assert.deepEqual(ipv6['endpoints'], [{ protocol: 'tcp', host: '::1', port: 6379 }]);
  const zap = toDojoFinding(all.find((f) => f.scanner.name === 'zap' && f.asset.url?.includes('/login'))!);
  assert.deepEqual(zap['endpoints'], [{ protocol: 'http', host: '127.0.0.1', port: 8080, path: 'login' }]);
});
