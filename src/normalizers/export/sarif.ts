// Findings → one SARIF 2.1.0 log, one run per scanner. The fingerprint goes into partialFingerprints so that
// code-scanning tools de-duplicate exactly as we do; non-code assets (host:port, URLs) become artifact URIs.
import type { Finding, Severity } from '../../schemas/types.gen.ts';
import type { ExportContext } from './context.ts';

const LEVEL: Readonly<Record<Severity, 'none' | 'note' | 'warning' | 'error'>> = {
  INFO: 'none',
  LOW: 'note',
  MEDIUM: 'warning',
  HIGH: 'error',
  CRITICAL: 'error',
};
// GitHub's security-severity bands, so severities survive the round trip
const SECURITY_SEVERITY: Readonly<Record<Severity, string>> = {
  INFO: '0.0',
  LOW: '2.0',
  MEDIUM: '5.0',
  HIGH: '7.5',
  CRITICAL: '9.5',
};

export interface SarifLog {
  $schema: string;
  version: '2.1.0';
  runs: Record<string, unknown>[];
}

export function toSarif(findings: readonly Finding[]): SarifLog {
  const byScanner = new Map<string, Finding[]>();
  for (const f of findings) {
    const list = byScanner.get(f.scanner.name) ?? [];
    list.push(f);
    byScanner.set(f.scanner.name, list);
  }
  const runs = [...byScanner.entries()].map(([name, list]) => {
    const rules = new Map<string, Record<string, unknown>>();
    for (const f of list) {
      const id = f.ruleId ?? f.fingerprint;
      if (!rules.has(id)) {
        rules.set(id, {
          id,
          shortDescription: { text: f.title },
          ...(f.remediation ? { help: { text: f.remediation } } : {}),
          properties: {
            'security-severity': SECURITY_SEVERITY[f.severity],
            tags: ['security', ...f.cwes.map((c) => `external/cwe/${c.toLowerCase()}`)],
          },
        });
      }
    }
    const ruleIds = [...rules.keys()];
    return {
      tool: {
        driver: {
          name,
          version: list[0]?.scanner.version ?? undefined,
          informationUri: 'https://github.com/asmvs',
          rules: [...rules.values()],
        },
      },
      results: list.map((f) => ({
        ruleId: f.ruleId ?? f.fingerprint,
        ruleIndex: ruleIds.indexOf(f.ruleId ?? f.fingerprint),
        level: LEVEL[f.severity],
        message: { text: f.description ? `${f.title}\n\n${f.description}` : f.title },
        locations: [location(f)],
        partialFingerprints: { 'asmvs/v1': f.fingerprint },
        occurrenceCount: f.occurrences,
        properties: {
          severity: f.severity,
          scannerSeverity: f.scannerSeverity,
          cves: f.cves,
          advisories: f.advisories,
          findingType: f.findingType,
          status: f.status,
        },
      })),
    };
  });
  return { $schema: 'https://json.schemastore.org/sarif-2.1.0.json', version: '2.1.0', runs };
}

function location(f: Finding): Record<string, unknown> {
  if (f.affectedCode) {
    const region =
      f.affectedCode.line !== null
        ? {
            region: {
              startLine: f.affectedCode.line,
              ...(f.affectedCode.endLine !== null ? { endLine: f.affectedCode.endLine } : {}),
            },
          }
        : {};
    return { physicalLocation: { artifactLocation: { uri: f.affectedCode.file }, ...region } };
  }
  if (f.affectedPackage)
    return {
      physicalLocation: {
        artifactLocation: { uri: f.affectedPackage.path ?? f.affectedPackage.purl ?? f.affectedPackage.name },
      },
    };
  const a = f.asset;
  const uri =
    a.url ?? `${a.protocol ?? 'tcp'}://${a.ip ?? a.hostname ?? 'unknown'}${a.port !== null ? ':' + a.port : ''}`;
  return { physicalLocation: { artifactLocation: { uri } } };
}

export function* sarifChunks(findings: readonly Finding[], _context: ExportContext): Generator<string> {
  yield `${JSON.stringify(toSarif(findings), null, 2)}\n`;
}
