// `asmvs normalize` as a user runs it: every fixture report gives its exact findings, stdin works like a file, the
// output formats hold what the finding schema does, and bad input exits non-zero with the reason.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { runCli } from '../helpers/cli.ts';
import { fixture, FIXTURES } from '../normalizers/raw.ts';

const path = (name: string) => fileURLToPath(new URL(name, FIXTURES));

interface Printed {
  fingerprint: string;
  occurrences: number;
  severity: string;
}

async function findingsOf(args: string[], stdin?: Buffer): Promise<Printed[]> {
  const r = await runCli(['normalize', ...args, '--json'], {}, 60_000, stdin);
  assert.equal(r.code, 0, r.stderr);
  return JSON.parse(r.stdout) as Printed[];
}

// distinct findings and the sum of occurrences per fixture (the same as normalizeRaw gives; see parses-each-format)
const EXPECTED: Record<string, [number, number]> = {
  'asmvs-checks.json': [4, 4],
  'grype.json': [3, 3],
  'nmap-loopback-tls.xml': [1, 1],
  'nmap-loopback.xml': [6, 6],
  'nmap-vulners-weak-tls.xml': [8, 8],
  'nuclei.json': [2, 2],
  'nuclei.jsonl': [4, 5],
  'openvas.xml': [3, 3],
  'osv-scanner.json': [2, 2],
  'semgrep.sarif': [3, 3],
  'trivy-image.json': [6, 7],
  'zap.json': [4, 5],
  'zap.xml': [4, 5],
};

test('every fixture report: exact distinct findings and occurrence counts, format detected', async () => {
  // three CLI processes at a time: thirteen at once can outlast the timeout on a loaded two-core machine
  const queue = Object.entries(EXPECTED);
  const worker = async () => {
    for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
      const [name, [distinct, occurrences]] = next;
      const findings = await findingsOf([path(name)]);
      assert.equal(findings.length, distinct, name);
      assert.equal(
        findings.reduce((n, f) => n + f.occurrences, 0),
        occurrences,
        name,
      );
      assert.equal(new Set(findings.map((f) => f.fingerprint)).size, distinct, `${name}: fingerprints are distinct`);
    }
  };
  await Promise.all([worker(), worker(), worker()]);
});

test('the default output is a table, most severe first, with a count and the detected format', async () => {
  const r = await runCli(['normalize', path('nmap-vulners-weak-tls.xml')]);
  assert.equal(r.code, 0, r.stderr);
  const lines = r.stdout.trim().split('\n');
  assert.match(lines[0] ?? '', /severity\s+where\s+type\s+finding/);
  assert.match(lines.at(-1) ?? '', /^8 findings from .*nmap-vulners-weak-tls\.xml \(nmap-xml\)$/);
  const severities = lines.slice(2, 10).map((l) => l.split(/\s+/)[0]);
  const rank = ['critical', 'high', 'medium', 'low', 'info'];
  assert.deepEqual(
    severities,
    [...severities].sort((a, b) => rank.indexOf(a ?? '') - rank.indexOf(b ?? '')),
  );
});

test('stdin (-) gives the same findings as the file, and --input-format names the parser', async () => {
  const fromFile = await findingsOf([path('nmap-loopback.xml')]);
  const fromStdin = await findingsOf(['-'], fixture('nmap-loopback.xml'));
  assert.deepEqual(
    fromStdin.map((f) => f.fingerprint),
    fromFile.map((f) => f.fingerprint),
  );
  const declared = await findingsOf(['-', '--input-format', 'nmap'], fixture('nmap-loopback.xml'));
  assert.equal(declared.length, 6);
});

test('--ocsf prints OCSF findings (2002 with a CVE, CWE or advisory, 2004 without) and --sarif a SARIF 2.1.0 log', async () => {
  const ocsf = await runCli(['normalize', path('trivy-image.json'), '--ocsf']);
  assert.equal(ocsf.code, 0, ocsf.stderr);
  const objects = JSON.parse(ocsf.stdout) as { class_uid: number }[];
  assert.equal(objects.length, 6);
  assert.deepEqual(
    objects.map((o) => o.class_uid),
    [2002, 2002, 2002, 2002, 2004, 2002],
  );

  const sarif = await runCli(['normalize', path('grype.json'), '--sarif']);
  assert.equal(sarif.code, 0, sarif.stderr);
  const log = JSON.parse(sarif.stdout) as { version: string; runs: { results: unknown[] }[] };
  assert.equal(log.version, '2.1.0');
  assert.equal(
    log.runs.reduce((n, run) => n + run.results.length, 0),
    3,
  );
});

test('bad input exits non-zero with the reason: 1 for a bad report, 2 for bad arguments', async () => {
  const truncated = fixture('trivy-image.json').subarray(0, 700);
  const bomb = Buffer.from(
    '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]><nmaprun>&lol2;</nmaprun>',
  );
  const cases: { args: string[]; stdin?: Buffer; code: number; reason: RegExp }[] = [
    { args: ['-'], stdin: truncated, code: 1, reason: /REPORT_UNPARSEABLE/ },
    { args: ['-'], stdin: bomb, code: 1, reason: /REPORT_UNSAFE/ },
    { args: ['-'], stdin: Buffer.from('hello, this is not a report\n'), code: 1, reason: /REPORT_FORMAT_UNKNOWN/ },
    {
      args: ['-'],
      stdin: Buffer.alloc(0),
      code: 1,
      reason: /empty and its format was not given.*\[REPORT_FORMAT_UNKNOWN\]/,
    },
    { args: [path('nmap-loopback.xml'), '--input-format', 'trivy'], code: 1, reason: /malformed.*REPORT_UNPARSEABLE/ },
    { args: [path('grype.json'), '--input-format', 'trivy'], code: 1, reason: /REPORT_FORMAT_UNKNOWN/ },
    {
      args: [path('nmap-loopback.xml'), '--input-format', 'excel'],
      code: 2,
      reason: /unknown format "excel".*\[USAGE\]/,
    },
    // --format is the output now; a report format there says where it went
    { args: [path('grype.json'), '--format', 'grype'], code: 2, reason: /the report's format is --input-format grype/ },
    { args: [path('no-such-report.json')], code: 2, reason: /cannot read the report .*ENOENT \[USAGE\]/ },
    { args: [fileURLToPath(FIXTURES)], code: 2, reason: /is not a file \[USAGE\]/ },
    { args: [path('zap.json'), '--json', '--sarif'], code: 2, reason: /'--json' cannot be used with option '--sarif'/ },
    { args: [path('zap.json'), '--format', 'ocsf', '--sarif'], code: 2, reason: /cannot be used with/ },
  ];
  for (const c of cases) {
    const r = await runCli(['normalize', ...c.args], {}, 30_000, c.stdin);
    assert.equal(r.code, c.code, `${c.args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, c.reason, c.args.join(' '));
    assert.equal(r.stdout, '', 'nothing is printed as findings');
  }
});
