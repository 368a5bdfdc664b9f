// OpenVAS / Greenbone (GVM) XML report (`gvm-cli … get_reports` or the web UI's XML export):
// [<get_reports_response>]<report><report>…<results><result>. One finding per NVT (oid) and host:port, or per
// NVT and host for "general/…" ports. Severity from the result's CVSS severity score; the threat label is kept.
// QoD (quality of detection, %) → confidence: ≥80 high, ≥70 (GVM's default minimum) medium, else low.
import type { AssetKey, Draft, FormatParserFactory } from '../draft.ts';
import type { Confidence, Cvss } from '../../schemas/types.gen.ts';
import { XmlWalker, child, childText, childrenNamed } from '../parse/xml-walk.ts';
import type { XmlElement } from '../parse/xml-walk.ts';
import { wrongFormat } from './wrong-format.ts';
import { makeCvss, toScore } from '../cvss.ts';
import { severityFromLabel, severityFromScore } from '../severity.ts';
import { extractCves, extractCwes } from '../vuln-ids.ts';
import { port as toPort, urlsIn } from '../parse/json-read.ts';

const ROOTS = new Set(['report', 'get_reports_response']);

export const openvasXml: FormatParserFactory = (context, sink) => {
  const scanner = {
    name: 'openvas',
    version: context.scanner.name.toLowerCase() === 'openvas' ? context.scanner.version : null,
  };
  const walker = new XmlWalker({
    collect: (name, ancestors) => name === 'result' && ancestors.at(-1)?.name === 'results',
    onElement: (el) => {
      const d = resultDraft(el, scanner);
      if (d) sink(d);
    },
  });
  const check = () => {
    if (walker.rootName !== null && !ROOTS.has(walker.rootName))
      throw wrongFormat('openvas-xml', `root <${walker.rootName}>`);
  };
  return {
    write: (chunk) => {
      walker.write(chunk);
      check();
    },
    end: () => {
      walker.end();
      check();
    },
  };
};

function resultDraft(r: XmlElement, scanner: Draft['scanner']): Draft | null {
  const hostEl = child(r, 'host');
  const host = hostEl?.text.trim() ?? '';
  if (!host) return null;
  const hostname = hostEl ? childText(hostEl, 'hostname') : null;
  const nvt = child(r, 'nvt');
  const oid = nvt?.attrs['oid'] ?? 'unknown';
  const portText = childText(r, 'port') ?? '';
  const [portPart = '', protocol = 'tcp'] = portText.split('/');
  const portNumber = toPort(portPart);
  const key: AssetKey =
    portNumber !== null ? { kind: 'service', host, port: portNumber, protocol } : { kind: 'host', host };
  const tags = parseTags(nvt ? childText(nvt, 'tags') : null);
  const threat = childText(r, 'threat');
  const score = toScore(childText(r, 'severity'));
  const refs = nvt ? childrenNamed(child(nvt, 'refs') ?? nvt, 'ref') : [];
  const cves = [
    ...refs.filter((x) => x.attrs['type']?.toLowerCase() === 'cve').map((x) => x.attrs['id'] ?? ''),
    ...extractCves(nvt ? (childText(nvt, 'cve') ?? '') : ''),
  ].filter((x) => x !== '');
  const cvss: Cvss[] = [];
  for (const s of nvt ? childrenNamed(child(nvt, 'severities') ?? nvt, 'severity') : []) {
    const c = makeCvss({
      vector: childText(s, 'value'),
      score: childText(s, 'score'),
      version: versionOfType(s.attrs['type']),
      source: 'gvm',
    });
    if (c) cvss.push(c);
  }
  if (cvss.length === 0 && tags['cvss_base_vector']) {
    const c = makeCvss({
      vector: tags['cvss_base_vector'],
      score: nvt ? childText(nvt, 'cvss_base') : null,
      source: 'gvm',
    });
    if (c) cvss.push(c);
  }
  const name = childText(r, 'name') ?? (nvt ? childText(nvt, 'name') : null) ?? oid;
  return {
    family: 'openvas',
    ruleId: oid,
    key,
    findingType: cves.length > 0 ? 'VULNERABILITY' : 'MISCONFIGURATION',
    title: name,
    description:
      [tags['summary'], tags['insight'], tags['impact']].filter(Boolean).join('\n\n') || childText(r, 'description'),
    severity: score !== null && score > 0 ? severityFromScore(score) : severityFromLabel(threat),
    scannerSeverity: threat,
    confidence: qod(Number(childText(child(r, 'qod') ?? r, 'value'))),
    cves: cves.map((c) => c.toUpperCase()),
    cwes: refs.filter((x) => x.attrs['type']?.toLowerCase() === 'cwe').flatMap((x) => extractCwes(x.attrs['id'] ?? '')),
    cvss,
    asset: { hostname, ip: host, port: portNumber, protocol, service: null },
    remediation: (nvt ? childText(nvt, 'solution') : null) ?? tags['solution'] ?? null,
    references: [
      ...refs.filter((x) => x.attrs['type']?.toLowerCase() === 'url').map((x) => x.attrs['id'] ?? ''),
      ...urlsIn(nvt ? childText(nvt, 'xref') : null),
    ],
    evidence: childText(r, 'description'),
    scanner,
  };
}

/** GVM packs NVT metadata as "key=value|key=value". */
function parseTags(text: string | null): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (text ?? '').split('|')) {
    const i = part.indexOf('=');
    if (i > 0) out[part.slice(0, i)] = part.slice(i + 1).trim();
  }
  return out;
}

function versionOfType(type: string | undefined): string | null {
  if (!type) return null;
  if (type.includes('v4')) return '4.0';
  if (type.includes('v3')) return '3.x';
  if (type.includes('v2') || type === 'cvss_base') return '2.0';
  return null;
}

function qod(n: number): Confidence {
  if (!Number.isFinite(n)) return 'UNKNOWN';
  if (n >= 80) return 'HIGH';
  if (n >= 70) return 'MEDIUM';
  return 'LOW';
}
