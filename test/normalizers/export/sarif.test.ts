// SARIF export: valid against the OASIS SARIF 2.1.0 schema as the SARIF Multitool package ships it (its definitions
// are the OASIS errata01 schema's), clean under the Multitool's own validator with GitHub's ingestion rules (GH*)
// and the SARIF rules' errors, written in chunks identical to the whole log, and read back by our own SARIF parser.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { normalizeRaw } from '../../../src/normalizers/index.ts';
import { sarifChunks, toSarif } from '../../../src/normalizers/export/sarif.ts';
import { NOW, PROVENANCE, rawOf } from '../raw.ts';
import { CONTEXT, allFixtureFindings, awkwardFindings, fixtureFindings } from './findings.ts';

const require = createRequire(import.meta.url);
const MULTITOOL: string = require('@microsoft/sarif-multitool-linux') as string;
const SCHEMA = JSON.parse(readFileSync(join(dirname(MULTITOOL), 'sarif-2.1.0.json'), 'utf8').replace(/^\uFEFF/, ''));

const ajv = new Ajv2020({ allErrors: true, strict: false });
(addFormats as unknown as (a: Ajv2020) => void)(ajv);
const validate = ajv.compile(SCHEMA);

interface Issue {
  ruleId: string;
  level?: string;
  message: { text: string };
}

/** The Multitool's validation results for one log, GitHub's rules (Gh) and the SARIF rules together. */
async function multitool(log: object): Promise<Issue[]> {
  const dir = mkdtempSync(join(tmpdir(), 'asmvs-sarif-'));
  try {
    writeFileSync(join(dir, 'log.sarif'), JSON.stringify(log));
    await promisify(execFile)(
      MULTITOOL,
      ['validate', '--rule-kind', 'Gh;Sarif', '-o', join(dir, 'out.sarif'), join(dir, 'log.sarif')],
      { timeout: 120_000, env: { ...process.env, DOTNET_CLI_TELEMETRY_OPTOUT: '1' } },
    );
    const out = JSON.parse(readFileSync(join(dir, 'out.sarif'), 'utf8').replace(/^\uFEFF/, '')) as {
      runs: { results?: Issue[] }[];
    };
    return out.runs.flatMap((r) => r.results ?? []);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const all = [...allFixtureFindings(), ...awkwardFindings()];

test('every fixture report and the awkward findings: valid against the SARIF 2.1.0 schema', () => {
  for (const [name, findings] of [...fixtureFindings(), ['awkward', awkwardFindings()] as const]) {
    const log = toSarif(findings, CONTEXT);
    assert.ok(validate(log), `${name}: ${ajv.errorsText(validate.errors, { separator: '\n' })}`);
  }
});

test('the SARIF Multitool with GitHub’s rules finds no error, and no GitHub rule fires at all', async () => {
  const issues = await multitool(toSarif(all, CONTEXT));
  const errors = issues.filter((i) => (i.level ?? 'warning') === 'error' || i.ruleId.startsWith('GH'));
  assert.deepEqual(
    errors.map((e) => `${e.ruleId}: ${e.message.text}`),
    [],
  );
  // What stays is advice (region forms for a network service, version properties of scanners that gave none).
  const advice = new Set(issues.map((i) => i.ruleId));
  assert.ok(
    [...advice].every((id) => /^SARIF2\d{3}$/.test(id)),
    [...advice].join(', '),
  );
});

test('rules are described by what their findings share, tools by their own pages, IPv6 services as URIs', () => {
  const log = toSarif(all, CONTEXT);
  const nmap = log.runs.find((r) => (r['tool'] as { driver: { name: string } }).driver.name === 'nmap')!;
  const driver = (nmap['tool'] as { driver: { informationUri: string; rules: Record<string, unknown>[] } }).driver;
  assert.equal(driver.informationUri, 'https://nmap.org/');
  const openPort = driver.rules.find((r) => r['id'] === 'open-port')!;
  assert.deepEqual(openPort['shortDescription'], { text: 'Open port' });
  assert.ok((openPort['help'] as { text: string }).text.length > 0);
  const checks = log.runs.find((r) => (r['tool'] as { driver: { name: string } }).driver.name === 'asmvs-checks')!;
  const uris = (
    checks['results'] as { locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }[]
  ).map((r) => r.locations[0]!.physicalLocation.artifactLocation.uri);
  assert.ok(uris.includes('tcp://[::1]:6379'), uris.join(' '));
  assert.ok(uris.includes('file:///usr/lib/x86_64-linux-gnu/libssl.so.3'), uris.join(' '));
  assert.ok(uris.includes('src/has%20space/%C3%BCn%C3%AFcode.ts'), uris.join(' '));
  const invocation = (checks['invocations'] as { executionSuccessful: boolean; commandLine: string }[])[0]!;
  assert.equal(invocation.executionSuccessful, true);
  assert.equal(invocation.commandLine, 'asmvs normalize report.json --format sarif');
});

test('written in chunks, the log is the same as whole; an interrupted run says so', () => {
  const chunked = JSON.parse([...sarifChunks(all, CONTEXT)].join('')) as unknown;
  assert.deepEqual(chunked, toSarif(all, CONTEXT));
  const partial = toSarif(all, { ...CONTEXT, complete: false });
  assert.equal((partial.runs[0]!['invocations'] as { executionSuccessful: boolean }[])[0]!.executionSuccessful, false);
});

test('our own SARIF parser reads the log back: every finding, fingerprints kept, levels from severity', () => {
  // one finding per fingerprint: several fixtures are the same scan in two formats (zap.json and zap.xml …)
  const findings = [...new Map(allFixtureFindings().map((f) => [f.fingerprint, f])).values()];
  const log = toSarif(findings, CONTEXT);
  const back = normalizeRaw(rawOf(Buffer.from(JSON.stringify(log))), PROVENANCE, { now: NOW });
  assert.equal(back.format, 'sarif');
  assert.equal(back.findings.length, findings.length);
  const results = log.runs.flatMap(
    (r) => r['results'] as { level: string; partialFingerprints: Record<string, string> }[],
  );
  assert.deepEqual(
    results.map((r) => r.partialFingerprints['asmvs/v1']).sort(),
    findings.map((f) => f.fingerprint).sort(),
  );
  assert.deepEqual([...new Set(results.map((r) => r.level))].sort(), ['error', 'note', 'warning']);
});
