// Nuclei results: JSON Lines (`-jsonl`, one result per line) or a JSON array (`-json-export`). One finding per
// template (and matcher, for multi-matcher templates) and place: origin+path for web results, host:port otherwise,
// the file for file templates. Nuclei v2.0–2.3 spelt the keys differently (templateID, matcher_name,
// extracted_results, matched) and wrote info.reference as one string: both spellings are read. Extracted values are
// evidence, not identity: a value that changes between scans (a version, a token) must not churn the finding.
import type { AssetKey, DraftSink, FormatParserFactory, ParseContext } from '../draft.ts';
import type { Cvss } from '../../schemas/types.gen.ts';
import { isObj, num, obj, str, strs, urlsIn, port as toPort } from '../parse/json-read.ts';
import type { Obj } from '../parse/json-read.ts';
import { jsonFormatParser } from './json-format.ts';
import { wrongFormat } from './wrong-format.ts';
import { makeCvss } from '../cvss.ts';
import { severityFromLabel } from '../severity.ts';
import { extractCves, extractCwes } from '../vuln-ids.ts';
import { hostOfUrl, portOfUrl, urlKey } from '../url-key.ts';
import { isIP } from 'node:net';

const FAMILY = 'nuclei';

function nucleiParser(format: 'nuclei-jsonl' | 'nuclei-json'): FormatParserFactory {
  return (context, sink) => {
    let results = 0;
    const onValue = (v: unknown) => {
      if (!isObj(v) || (str(v, 'template-id') ?? str(v, 'templateID')) === null) {
        throw wrongFormat(format, 'a result without template-id');
      }
      results++;
      emit(v, context, sink);
    };
    return jsonFormatParser({
      format,
      treeLimit: context.jsonTreeLimit,
      jsonStreaming: format === 'nuclei-jsonl',
      collect: [{ path: format === 'nuclei-jsonl' ? [] : ['*'], onValue }],
      verify: () => {
        void results; // an empty result list is a clean scan, not a wrong format
      },
    });
  };
}

export const nucleiJsonl = nucleiParser('nuclei-jsonl');
export const nucleiJson = nucleiParser('nuclei-json');

function emit(r: Obj, context: ParseContext, sink: DraftSink): void {
  const info = obj(r, 'info');
  const cls = obj(info, 'classification');
  const templateId = str(r, 'template-id') ?? str(r, 'templateID') ?? 'unknown';
  const matcher = str(r, 'matcher-name') ?? str(r, 'matcher_name');
  const matchedAt = str(r, 'matched-at') ?? str(r, 'matched') ?? str(r, 'host') ?? context.target;
  const ip = str(r, 'ip');
  const type = (str(r, 'type') ?? '').toLowerCase();
  const key = placeOf(r, matchedAt, type, context.target);
  const label = str(info, 'severity');
  const cvss: Cvss[] = [];
  const c = makeCvss({ vector: str(cls, 'cvss-metrics'), score: num(cls, 'cvss-score'), source: 'nuclei-template' });
  if (c) cvss.push(c);
  const epss = num(cls, 'epss-score');
  const isWeb = key.kind === 'url';
  const host = isWeb ? hostOfUrl(matchedAt) : key.kind === 'service' || key.kind === 'host' ? nameOf(matchedAt) : null;
  const hostIsIp = host !== null && isIP(host) !== 0;
  const cves = [...strs(cls, 'cve-id').flatMap(extractCves)];
  const extracted = [...strs(r, 'extracted-results'), ...strs(r, 'extracted_results')];
  sink({
    family: FAMILY,
    ruleId: matcher ? `${templateId}:${matcher}` : templateId,
    key,
    findingType:
      cves.length > 0 ? 'VULNERABILITY' : severityFromLabel(label) === 'INFO' ? 'EXPOSURE' : 'MISCONFIGURATION',
    title: str(info, 'name') ?? templateId,
    description: str(info, 'description'),
    severity: severityFromLabel(label),
    scannerSeverity: label,
    confidence: 'HIGH',
    cves,
    cwes: strs(cls, 'cwe-id').flatMap(extractCwes),
    cvss,
    epss: epss !== null ? { score: epss, percentile: num(cls, 'epss-percentile') } : null,
    asset: {
      hostname: hostIsIp ? null : host,
      ip: ip ?? (hostIsIp ? host : null),
      port: isWeb ? portOfUrl(matchedAt) : key.kind === 'service' ? key.port : null,
      // web and network templates speak TCP; a dns finding is about a name, a file finding about a file
      protocol: key.kind === 'service' || isWeb ? 'tcp' : null,
      service: str(r, 'scheme') ?? str(r, 'type'),
      url: isWeb ? matchedAt : null,
    },
    affectedCode: key.kind === 'code' ? { file: key.file, line: null, endLine: null } : null,
    remediation: str(info, 'remediation'),
    // a list in nuclei ≥ 2.3; one string (URLs separated by commas, spaces or lines) before
    references: strs(info, 'reference').flatMap((ref) => {
      const urls = urlsIn(ref);
      return urls.length > 0 ? urls.map((u) => u.replace(/[,;]+$/, '')) : [ref];
    }),
    evidence: [...extracted, matchedAt].join('\n'),
    scanner: { name: FAMILY, version: context.scanner.name.toLowerCase() === FAMILY ? context.scanner.version : null },
  });
}

function placeOf(r: Obj, matchedAt: string, type: string, target: string): AssetKey {
  if (/^https?:\/\//i.test(matchedAt)) {
    const k = urlKey(matchedAt);
    if (k) return k;
  }
  // file templates (nuclei -file) report the path of the file that matched
  if (type === 'file') return { kind: 'code', target, file: matchedAt, line: null };
  // network, ssl, dns and javascript templates report host:port (or a bare host)
  const m = /^\[?([^\]]+?)\]?:(\d+)$/.exec(matchedAt);
  const p = m ? toPort(m[2]) : toPort(str(r, 'port'));
  const host = m?.[1] ?? str(r, 'host') ?? matchedAt;
  // a service is keyed by its address when nuclei resolved one (DESIGN §5: IP if known, else name)
  return p !== null
    ? { kind: 'service', host: str(r, 'ip') ?? host, port: p, protocol: 'tcp' }
    : { kind: 'host', host };
}

/** The host part of host:port, [v6]:port, or a bare host. */
function nameOf(place: string): string {
  const m = /^\[?([^\]]+?)\]?:(\d+)$/.exec(place);
  return m?.[1] ?? place;
}
