// SARIF 2.1.0 from CodeQL: results are identified by the tool's partialFingerprints (two results of one rule on one
// line stay two), else by line and column; kind pass and notApplicable are not findings; an accepted suppression
// makes the finding SUPPRESSED (a rejected one does not); CWEs come from rule and result properties; rules are found
// in tool extensions through rule.toolComponent.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { normalizeRaw } from '../../../src/normalizers/index.ts';
import { NOW, PROVENANCE, fixture, rawOf } from '../raw.ts';
import { byRule, run, summary } from './run.ts';

const r = run('codeql.sarif');

test('CodeQL SARIF: 8 results → 6 findings (2 not findings), one suppressed', () => {
  assert.equal(r.format, 'sarif');
  assert.deepEqual(summary(r.findings), [
    'MISCONFIGURATION MEDIUM js/reflected-xss NEW x1',
    'MISCONFIGURATION MEDIUM js/reflected-xss NEW x1',
    'MISCONFIGURATION HIGH js/sql-injection SUPPRESSED x1',
    'MISCONFIGURATION HIGH js/path-injection NEW x1',
    'MISCONFIGURATION HIGH js/path-injection NEW x1',
    'MISCONFIGURATION HIGH js/insecure-randomness NEW x1',
  ]);
  assert.equal(byRule(r.findings, 'js/sql-injection').statusId, 3);
  assert.equal(new Set(r.findings.map((f) => f.fingerprint)).size, 6);
});

test('CodeQL SARIF: fields from the rule in the tool extension and from the result', () => {
  const xss = byRule(r.findings, 'js/reflected-xss');
  assert.deepEqual(xss.cwes, ['CWE-116', 'CWE-79']);
  assert.deepEqual(xss.affectedCode, { file: 'src/routes/search.js', line: 10, endLine: null });
  assert.equal(xss.scannerSeverity, 'error (security-severity 6.1)');
  assert.equal(xss.confidence, 'HIGH');
  assert.equal(xss.title, 'Reflected cross-site scripting');
  assert.equal(xss.scanner.name, 'CodeQL');
  assert.equal(xss.scanner.version, '2.15.3');
  assert.deepEqual(byRule(r.findings, 'js/path-injection', 0).cwes, ['CWE-22', 'CWE-23']);
  assert.deepEqual(byRule(r.findings, 'js/path-injection', 1).cwes, ['CWE-22']);
  assert.deepEqual(byRule(r.findings, 'js/sql-injection').cwes, ['CWE-89', 'CWE-90', 'CWE-943']);
  assert.equal(
    byRule(r.findings, 'js/insecure-randomness').severity,
    'HIGH',
    'security-severity 7.8 over level warning',
  );
});

test('a result identified by its fingerprint keeps its identity when its line moves; one without keeps line and column', () => {
  const moved = fixture('codeql.sarif')
    .toString()
    .replaceAll('"startLine": 10', '"startLine": 14')
    .replaceAll('"startLine": 40', '"startLine": 44');
  const again = normalizeRaw(rawOf(moved), PROVENANCE, { now: NOW }).findings;
  const fp = (fs: typeof again, rule: string, n: number) => byRule(fs, rule, n).fingerprint;
  assert.equal(fp(again, 'js/reflected-xss', 0), fp(r.findings, 'js/reflected-xss', 0));
  assert.equal(fp(again, 'js/reflected-xss', 1), fp(r.findings, 'js/reflected-xss', 1));
  assert.notEqual(fp(again, 'js/path-injection', 0), fp(r.findings, 'js/path-injection', 0));
});
