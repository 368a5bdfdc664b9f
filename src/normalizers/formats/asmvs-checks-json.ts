// asmvs-checks-json: the built-in scanners' own document. Provisional until src/scanners/README.md defines it; this
// parser follows src/scanners/checks/check.ts: {scanner:{name,version}, target, checks:[{id,title,severity,type?,
// description?,host,hostname?,ip?,port?,protocol?,service?,product?,version?,url?,evidence?,references?,cves?,cwes?,
// remediation?}]}. Web checks (with a url) are keyed by origin+path, others by host:port/protocol, else by host.
import type { AssetKey, Draft, FormatParserFactory } from '../draft.ts';
import { isObj, str, strs, port as toPort } from '../parse/json-read.ts';
import type { Obj } from '../parse/json-read.ts';
import { jsonFormatParser, requireRootKeys } from './json-format.ts';
import { severityFromLabel } from '../severity.ts';
import { extractCves, extractCwes } from '../ids.ts';
import { urlKey } from '../url-key.ts';

const TYPES = new Set(['VULNERABILITY', 'MISCONFIGURATION', 'EXPOSURE', 'SECRET', 'SERVICE']);

export const asmvsChecksJson: FormatParserFactory = (context, sink) => {
  let scanner = context.scanner;
  return jsonFormatParser({
    format: 'asmvs-checks-json',
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
        path: ['checks', '*'],
        onValue: (v) => {
          if (isObj(v)) sink(checkDraft(v, scanner));
        },
      },
    ],
    verify: (keys) => requireRootKeys('asmvs-checks-json', keys, ['checks']),
  });
};

function checkDraft(c: Obj, scanner: Draft['scanner']): Draft {
  const id = str(c, 'id') ?? 'unknown';
  const host = str(c, 'ip') ?? str(c, 'host') ?? '';
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
      hostname: str(c, 'hostname') ?? (str(c, 'ip') ? str(c, 'host') : null),
      ip: str(c, 'ip') ?? str(c, 'host'),
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
