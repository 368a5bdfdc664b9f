// The CLI as users of nmap, trivy, nuclei and kcat expect it, without a broker: conflicting output choices and options
// that need another are refused with exit 2 and one hint line; configuration errors name every bad or missing
// setting at once; --severity filters, --fail-on exits 4, -o writes a file, -q prints the findings only, and
// `normalize --format` is the output while --input-format names the report's format.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCli } from '../helpers/cli.ts';

const report = (name: string) => fileURLToPath(new URL(`../fixtures/reports/${name}`, import.meta.url));

test('refused usages exit 2 with the reason and one hint line, and print nothing on stdout', async () => {
  const cases: [string[], RegExp][] = [
    [['scan', '127.0.0.1', '--json', '--sarif'], /'--json' cannot be used with option '--sarif'/],
    [['scan', '127.0.0.1', '--format', 'html', '--json'], /cannot be used with/],
    [['scan', '127.0.0.1', '--follow'], /--follow needs --submit/],
    [['scan', '127.0.0.1', '--engine', 'platform'], /--engine needs --submit/],
    [['scan', '127.0.0.1', '--submit', '--timeout', '5'], /--timeout needs --follow/],
    [['scan', '127.0.0.1', '--submit', '--format', 'sarif'], /'--submit' cannot be used with option '-f, --format/],
    [['scan', '127.0.0.1', '--submit', '--fail-on', 'high'], /cannot be used with option '--fail-on/],
    [['scan', '127.0.0.1', '-q', '-v'], /'-q, --quiet' cannot be used with option '-v, --verbose'/],
    [['scan', '127.0.0.1', '--severity', 'urgent'], /"urgent" is not a severity/],
    [['scan', '127.0.0.1', '--max-hosts', '0'], /--max-hosts must be a whole number of at least 1.*\[USAGE\]/],
    [['discover', 'example.org', '--timeout', '5'], /--timeout needs --follow/],
    [['tail', 'assets', '--offset', 'sometime'], /--offset must be beginning, end, an offset or -N/],
    [['dlq', 'redrive', 'raw-findings'], /say which records: --all, --code <code> or --record <p:o>/],
  ];
  for (const [args, reason] of cases) {
    const r = await runCli(args, { KAFKA_BROKERS: '127.0.0.1:9', SCHEMA_REGISTRY_URL: 'http://127.0.0.1:9' });
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
    const lines = r.stderr.trimEnd().split('\n');
    assert.match(lines[0]!, reason, args.join(' '));
    assert.equal(lines.length, 2, `${args.join(' ')}: the reason and one hint line, not the help:\n${r.stderr}`);
    assert.match(lines[1]!, /^\(asmvs [a-z ]+ --help shows the usage\)$/);
    assert.equal(r.stdout, '');
  }
});

test('a configuration error names every bad or missing setting at once', async () => {
  const r = await runCli(['scan', '127.0.0.1', '--submit'], { TOPIC_PARTITIONS: '0', RETRY_MAX_ATTEMPTS: 'many' });
  assert.equal(r.code, 2, r.stderr);
  for (const name of ['TOPIC_PARTITIONS', 'RETRY_MAX_ATTEMPTS', 'KAFKA_BROKERS', 'SCHEMA_REGISTRY_URL'])
    assert.match(r.stderr, new RegExp(`^  ${name}: `, 'm'), `${name} is named:\n${r.stderr}`);
  assert.match(r.stderr, /\[CONFIG_INVALID\]/);
});

test('--severity keeps those severities, --fail-on exits 4 when a printed finding reaches it', async () => {
  const all = await runCli(['normalize', report('trivy-image.json'), '--json']);
  const severities = (JSON.parse(all.stdout) as { severity: string }[]).map((f) => f.severity);
  const kept = await runCli(['normalize', report('trivy-image.json'), '--json', '--severity', 'high,critical']);
  assert.equal(kept.code, 0, kept.stderr);
  assert.deepEqual(
    (JSON.parse(kept.stdout) as { severity: string }[]).map((f) => f.severity),
    severities.filter((s) => s === 'HIGH' || s === 'CRITICAL'),
  );
  const fails = await runCli(['normalize', report('trivy-image.json'), '--fail-on', 'high']);
  assert.equal(fails.code, 4, fails.stderr);
  assert.match(fails.stdout, /critical/, 'the findings are printed all the same');
  const filtered = await runCli(['normalize', report('trivy-image.json'), '--severity', 'low', '--fail-on', 'high']);
  assert.equal(filtered.code, 0, 'only what is printed counts');
});

test('-o writes the findings to a file (the summary to stderr), -q prints the findings only', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'asmvs-out-'));
  try {
    const file = join(dir, 'findings.sarif');
    const r = await runCli(['normalize', report('grype.json'), '-f', 'sarif', '-o', file]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, '');
    assert.equal((JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version, '2.1.0');
    const table = await runCli(['normalize', report('grype.json'), '-o', join(dir, 'table.txt')]);
    assert.match(readFileSync(join(dir, 'table.txt'), 'utf8'), /^severity\s+where/);
    assert.match(table.stderr, /^3 findings from .*grype\.json \(grype-json\)$/m);
    const quiet = await runCli(['normalize', report('grype.json'), '-q']);
    assert.doesNotMatch(quiet.stdout, /findings from/);
    const nowhere = await runCli(['normalize', report('grype.json'), '-o', join(dir, 'no/such/dir/x.json')]);
    assert.equal(nowhere.code, 2);
    assert.match(nowhere.stderr, /--output ".*": ENOENT \[USAGE\]/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('normalize --format names the output (dojo, html too); --input-format names the report', async () => {
  const dojo = await runCli(['normalize', report('zap.json'), '--format', 'dojo', '--input-format', 'zap-json']);
  assert.equal(dojo.code, 0, dojo.stderr);
  const doc = JSON.parse(dojo.stdout) as { findings: { unique_id_from_tool: string }[] };
  assert.equal(doc.findings.length, 4);
  const html = await runCli(['normalize', report('zap.json'), '--format', 'html']);
  assert.match(html.stdout, /^<!doctype html>/);
  assert.equal((html.stdout.match(/<article class="finding/g) ?? []).length, 4);
});
