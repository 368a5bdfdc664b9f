// asmvs-checks-json (schema asmvs-checks/1, defined in src/scanners/README.md): the built-in scanners' document.
// services[] → one informational SERVICE finding per open port (rule "open-port", keyed by host:port/protocol);
// checks[] (positive results only) → one finding per check, keyed by its URL for HTTP checks, else host:port.
// The document may say of itself that it is partial (complete: false or truncated: true): then the scan is not
// complete and resolves nothing. hosts[] and checksRun[] give the scan's coverage (coverage.ts).
import type { AssetKey, Draft, FormatParserFactory } from '../draft.ts';
import { isObj, str, strs, port as toPort } from '../parse/json-read.ts';
import type { Obj } from '../parse/json-read.ts';
import { jsonFormatParser, requireRootKeys } from './json-format.ts';
import { severityFromLabel } from '../severity.ts';
import { extractCves, extractCwes } from '../vuln-ids.ts';
import { urlKey } from '../url-key.ts';
import { checksHostCoverage, checksRunCoverage } from '../coverage.ts';

const TYPES = new Set(['VULNERABILITY', 'MISCONFIGURATION', 'EXPOSURE', 'SECRET', 'SERVICE']);

export const asmvsChecksJson: FormatParserFactory = (context, sink) => {
  let scanner = context.scanner;
  return jsonFormatParser({
    format: 'asmvs-checks-json',
    treeLimit: context.jsonTreeLimit,
    collect: [
      {
        path: ['scanner'],
        onValue: (v) =>
          (scanner = {
            name: str(v, 'name') ?? context.scanner.name,
            version: str(v, 'version') ?? context.scanner.version,
          }),
      },
      {
        path: ['services', '*'],
        onValue: (v) => {
          if (isObj(v) && (str(v, 'state') ?? 'open') === 'open') sink(serviceDraft(v, scanner));
        },
      },
      {
        path: ['checks', '*'],
        onValue: (v) => {
          if (isObj(v)) sink(checkDraft(v, scanner));
        },
      },
      { path: ['hosts', '*'], onValue: (v) => checksHostCoverage(context.coverage, v) },
      { path: ['checksRun', '*'], onValue: (v) => checksRunCoverage(context.coverage, v) },
      { path: ['complete'], onValue: (v) => v === false && context.markIncomplete('the report says complete: false') },
      { path: ['truncated'], onValue: (v) => v === true && context.markIncomplete('the report says truncated: true') },
    ],
    verify: (keys) => requireRootKeys('asmvs-checks-json', keys, ['checks']),
  });
};

function serviceDraft(s: Obj, scanner: Draft['scanner']): Draft {
  const host = str(s, 'host') ?? '';
  const p = toPort(s['port']) ?? 0;
  const protocol = (str(s, 'protocol') ?? 'tcp').toLowerCase();
  const service = str(s, 'service');
  const label = [str(s, 'product'), str(s, 'version')].filter(Boolean).join(' ');
  const http = isObj(s['http']) ? s['http'] : {};
  return {
    family: scanner.name.toLowerCase(),
    ruleId: 'open-port',
    key: { kind: 'service', host, port: p, protocol },
    findingType: 'SERVICE',
    title: `Open port ${p}/${protocol}${service ? ': ' + service : ''}${label ? ` (${label})` : ''}`,
    severity: 'INFO',
    scannerSeverity: null,
    confidence: service ? 'HIGH' : 'LOW',
    asset: {
      hostname: str(s, 'hostname'),
      ip: host,
      port: p,
      protocol,
      service,
      product: str(s, 'product'),
      version: str(s, 'version'),
      url: str(http, 'url'),
    },
    evidence: str(s, 'banner'),
    scanner,
  };
}

function checkDraft(c: Obj, scanner: Draft['scanner']): Draft {
  const id = str(c, 'id') ?? 'unknown';
  const ip = str(c, 'ip');
  const named = str(c, 'host');
  const host = ip ?? named ?? '';
  const p = toPort(c['port']);
  const protocol = str(c, 'protocol') ?? 'tcp';
  const url = str(c, 'url');
  const key: AssetKey =
    (url ? urlKey(url) : null) ?? (p !== null ? { kind: 'service', host, port: p, protocol } : { kind: 'host', host });
  const cves = strs(c, 'cves').flatMap(extractCves);
  const type = (str(c, 'type') ?? '').toUpperCase();
  const label = str(c, 'severity');
  return {
    family: scanner.name.toLowerCase(),
    ruleId: id,
    key,
    findingType: TYPES.has(type) ? (type as Draft['findingType']) : cves.length > 0 ? 'VULNERABILITY' : 'EXPOSURE',
    title: str(c, 'title') ?? id,
    description: str(c, 'description'),
    severity: severityFromLabel(label),
    scannerSeverity: label,
    confidence: 'HIGH',
    cves,
    cwes: strs(c, 'cwes').flatMap(extractCwes),
    asset: {
      hostname: str(c, 'hostname') ?? (ip ? named : null),
      ip: ip ?? named,
      port: p,
      protocol,
      service: str(c, 'service'),
      product: str(c, 'product'),
      version: str(c, 'version'),
      url,
    },
    remediation: str(c, 'remediation'),
    references: strs(c, 'references'),
    evidence: str(c, 'evidence'),
    scanner,
  };
}
