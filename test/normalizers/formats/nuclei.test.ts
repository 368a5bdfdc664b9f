// Nuclei: every result spelling since v2 (templateID/matcher_name/extracted_results/matched before 2.3), a legacy
// reference string split into URLs, network/ssl/dns templates keeping the host name, and an empty JSONL (what
// nuclei writes when it finds nothing) read as a clean scan by the stage and the CLI alike.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { normalizeRaw } from '../../../src/normalizers/index.ts';
import { runCli } from '../../helpers/cli.ts';
import { NOW, PROVENANCE, rawOf } from '../raw.ts';
import { byRule, run, summary } from './run.ts';

test('nuclei v2 legacy keys: each matcher_name is its own finding, extracted_results are evidence, the reference string is split', () => {
  const r = run('nuclei-v2-legacy.jsonl');
  assert.equal(r.format, 'nuclei-jsonl');
  assert.deepEqual(summary(r.findings), [
    'EXPOSURE INFO http-missing-security-headers:strict-transport-security NEW x1',
    'EXPOSURE INFO http-missing-security-headers:content-security-policy NEW x1',
    'EXPOSURE INFO http-missing-security-headers:x-frame-options NEW x1',
    'EXPOSURE INFO http-missing-security-headers:x-content-type-options NEW x1',
    'EXPOSURE INFO tech-detect:nginx NEW x2',
    'EXPOSURE INFO tech-detect:php NEW x1',
    'MISCONFIGURATION MEDIUM git-config NEW x1',
  ]);
  assert.deepEqual(r.findings[0]?.references, [
    'https://developer.mozilla.org/en-US/docs/Web/HTTP/Headers',
    'https://owasp.org/www-project-secure-headers/',
  ]);
  const git = byRule(r.findings, 'git-config');
  assert.equal(git.evidence, '[core]\nrepositoryformatversion = 0\nhttp://127.0.0.1:8080/.git/config');
  assert.deepEqual(git.references, ['https://git-scm.com/docs/git-config']);
  assert.equal(git.asset.url, 'http://127.0.0.1:8080/.git/config');
  assert.equal(git.asset.ip, '127.0.0.1');
  assert.equal(git.asset.hostname, null, 'an IP literal is not a host name');
  assert.equal(git.asset.port, 8080);
  assert.equal(git.title, 'Git Config File');
});

test('nuclei network, javascript, ssl and dns templates keep the host name; services are keyed by address', () => {
  const r = run('nuclei-network.jsonl');
  assert.deepEqual(summary(r.findings), [
    'EXPOSURE INFO mysql-detect NEW x1',
    'EXPOSURE INFO ssh-server-enumeration NEW x1',
    'EXPOSURE INFO deprecated-tls:tls_1.1 NEW x1',
    'EXPOSURE INFO deprecated-tls:tls_1.0 NEW x1',
    'EXPOSURE INFO caa-fingerprint NEW x1',
  ]);
  const mysql = byRule(r.findings, 'mysql-detect');
  assert.deepEqual(
    [mysql.asset.hostname, mysql.asset.hostnames, mysql.asset.ip, mysql.asset.port, mysql.asset.protocol],
    ['db.asmvs.test', ['db.asmvs.test'], '127.0.0.1', 3306, 'tcp'],
  );
  assert.match(mysql.evidence ?? '', /^5\.5\.5-10\.11\.19-MariaDB/);
  assert.deepEqual(byRule(r.findings, 'ssh-server-enumeration').cwes, ['CWE-200']);
  assert.equal(byRule(r.findings, 'ssh-server-enumeration').asset.hostname, 'ssh.asmvs.test');
  const tls = byRule(r.findings, 'deprecated-tls:tls_1.0');
  assert.deepEqual([tls.asset.hostname, tls.asset.ip, tls.asset.port], ['www.asmvs.test', '127.0.0.3', 443]);
  const caa = byRule(r.findings, 'caa-fingerprint');
  assert.deepEqual(
    [caa.asset.hostname, caa.asset.ip, caa.asset.port, caa.asset.protocol],
    ['asmvs.test', null, null, null],
  );
});

test('an empty nuclei JSONL is a clean scan: no findings, complete, in the stage and in the CLI with --input-format', async () => {
  const r = normalizeRaw(rawOf('', { format: 'nuclei-jsonl' }), PROVENANCE, { now: NOW });
  assert.deepEqual([r.findings.length, r.complete], [0, true]);
  const dir = mkdtempSync(join(tmpdir(), 'asmvs-nuclei-'));
  const empty = join(dir, 'nuclei-output.jsonl');
  writeFileSync(empty, '');
  const cli = await runCli(['normalize', empty, '--input-format', 'nuclei', '--json']);
  assert.equal(cli.code, 0, cli.stderr);
  assert.deepEqual(JSON.parse(cli.stdout), []);
  // without a declared format an empty file cannot be told from any other: refused, never read as zero findings
  const undeclared = await runCli(['normalize', empty, '--json']);
  assert.equal(undeclared.code, 1);
  assert.match(undeclared.stderr, /empty and its format was not given.*REPORT_FORMAT_UNKNOWN/);
});
