// Findings for the exporters' tests: every fixture report normalized, plus findings made to be awkward (an IPv6
// service, paths with spaces and absolute paths, a URL that is not a URI, a suppressed result, hostile text).
import { readdirSync } from 'node:fs';
import { normalizeRaw } from '../../../src/normalizers/index.ts';
import type { ExportContext } from '../../../src/normalizers/export/context.ts';
import type { Finding } from '../../../src/schemas/types.gen.ts';
import { FIXTURES, NOW, PROVENANCE, fixture, rawOf } from '../raw.ts';

export const CONTEXT: ExportContext = {
  version: '0.1.0',
  arguments: ['normalize', 'report.json', '--format', 'sarif'],
  subject: 'report.json',
  startedAt: NOW - 2_000,
  finishedAt: NOW,
  complete: true,
};

/** Each fixture report's findings, by file name. */
export function fixtureFindings(): Map<string, Finding[]> {
  const out = new Map<string, Finding[]>();
  for (const name of readdirSync(FIXTURES)
    .filter((n) => !n.endsWith('.md'))
    .sort())
    out.set(name, normalizeRaw(rawOf(fixture(name)), PROVENANCE, { now: NOW }).findings);
  return out;
}

export function allFixtureFindings(): Finding[] {
  return [...fixtureFindings().values()].flat();
}

/** A finding like the normalizer emits, with the fields a test names changed. */
export function finding(over: Partial<Omit<Finding, 'asset'>> & { asset?: Partial<Finding['asset']> } = {}): Finding {
  const base = allFixtureFindings().find((f) => f.scanner.name === 'asmvs-checks' && f.findingType === 'EXPOSURE')!;
  return { ...base, ...over, asset: { ...base.asset, ...over.asset } };
}

/** Findings whose places and text are hard to express: each exporter must still be valid. */
export function awkwardFindings(): Finding[] {
  return [
    finding({ fingerprint: 'a'.repeat(64), asset: { ip: '::1', hostname: null, port: 6379, url: null } }),
    finding({
      fingerprint: 'b'.repeat(64),
      title: 'Bidi \u202e override and line\u2028separator, <script>alert(1)</script> & "quotes"',
      description: 'ESC \u001b[2J and NUL-free control text \u0007',
      asset: { ip: '127.0.0.1', port: 8443, url: 'http://127.0.0.1:8443/a path/<x>?q=1 2' },
    }),
    finding({
      fingerprint: 'c'.repeat(64),
      findingType: 'VULNERABILITY',
      affectedPackage: {
        name: 'openssl',
        version: null,
        fixedVersion: null,
        purl: null,
        path: '/usr/lib/x86_64-linux-gnu/libssl.so.3',
        ecosystem: null,
        licenses: [],
        fixStatus: null,
      },
    }),
    finding({
      fingerprint: 'd'.repeat(64),
      status: 'SUPPRESSED',
      statusId: 3,
      affectedCode: { file: 'src/has space/ünïcode.ts', line: 0, endLine: null },
    }),
  ];
}
