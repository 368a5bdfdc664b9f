// nmap XML (-oX). Each open port is an informational SERVICE finding; NSE output becomes findings too:
// vulners (one VULNERABILITY per CVE and port) and ssl-enum-ciphers (deprecated protocols, weak cipher grade).
// Closed and filtered ports are not findings. Scripts other than these two are not mapped. Every hostname nmap gives
// (the name scanned and the PTR name) is kept in asset.hostnames. The parser is the one the nmap scanner uses.
// <scaninfo> and each host's ports give the scan's coverage (coverage.ts).
import type { Draft, FormatParserFactory } from '../draft.ts';
import { childrenNamed } from '../parse/xml-walk.ts';
import type { XmlElement } from '../parse/xml-walk.ts';
import { createNmapXmlReader } from './nmap/read-nmap-xml.ts';
import { nmapHostCoverage, nmapScaninfoCoverage } from '../coverage.ts';
import type { NmapHost } from './nmap/nmap-report.ts';
import { makeCvss } from '../cvss.ts';
import { severityFromScore } from '../severity.ts';
import type { Severity } from '../../schemas/types.gen.ts';

const FAMILY = 'nmap';
const DEPRECATED: Readonly<Record<string, Severity>> = {
  SSLv2: 'HIGH',
  SSLv3: 'HIGH',
  'TLSv1.0': 'MEDIUM',
  'TLSv1.1': 'MEDIUM',
};
const GRADE: Readonly<Record<string, Severity>> = { B: 'LOW', C: 'MEDIUM', D: 'HIGH', E: 'HIGH', F: 'HIGH' };

export const nmapXml: FormatParserFactory = (context, sink) => {
  const reader = createNmapXmlReader({
    onHost: (host, run, element, root) => {
      for (const d of hostDrafts(host, { name: FAMILY, version: run.version ?? context.scanner.version })) sink(d);
      nmapHostCoverage(context.coverage, element, root);
    },
    onScaninfo: (scaninfo) => nmapScaninfoCoverage(context.coverage, scaninfo),
  });
  return { write: (chunk) => reader.write(chunk), end: () => void reader.end() };
};

function hostDrafts(host: NmapHost, scanner: { name: string; version: string | null }): Draft[] {
  const ip = host.addresses.find((a) => a.type !== 'mac')?.addr ?? null;
  // the name scanned (type "user") first, then the PTR name: every name is kept, the first is the hostname
  const names = [...host.hostnames].sort((a, b) => Number(b.type === 'user') - Number(a.type === 'user'));
  const hostnames = [...new Set(names.map((h) => h.name))];
  const hostname = hostnames[0] ?? null;
  const hostKey = ip ?? hostname;
  if (!hostKey) return [];
  const out: Draft[] = [];
  for (const port of host.ports) {
    if (port.state !== 'open') continue;
    const portNumber = port.port;
    const protocol = port.protocol;
    const svc = port.service;
    // nmap's own spelling for a service inside TLS is ssl/<name>
    const service = svc?.name ? (svc.tunnel === 'ssl' ? `ssl/${svc.name}` : svc.name) : null;
    const product = svc?.product ?? null;
    const version = svc?.version ?? null;
    const key = { kind: 'service', host: hostKey, port: portNumber, protocol } as const;
    const asset = { hostname, hostnames, ip, port: portNumber, protocol, service, product, version };
    const label = [product, version].filter(Boolean).join(' ');
    out.push({
      family: FAMILY,
      ruleId: 'open-port',
      key,
      findingType: 'SERVICE',
      title: `Open port ${portNumber}/${protocol}${service ? ': ' + service : ''}${label ? ` (${label})` : ''}`,
      description: svc?.extrainfo ?? null,
      severity: 'INFO',
      scannerSeverity: null,
      confidence: svc?.method === 'probed' ? 'HIGH' : 'LOW',
      asset,
      references: [...(svc?.cpes ?? [])],
      scanner,
    });
    for (const script of port.scripts) {
      if (script.id === 'vulners') out.push(...vulners(script.element, key, asset, scanner));
      if (script.id === 'ssl-enum-ciphers') out.push(...sslEnumCiphers(script.element, key, asset, scanner));
    }
  }
  return out;
}

type ServiceKey = { kind: 'service'; host: string; port: number; protocol: string };
type Asset = Draft['asset'];

/** <script id="vulners"><table key="cpe:/…"><table><elem key="id">CVE-…</elem><elem key="cvss">9.8</elem>… */
function vulners(script: XmlElement, key: ServiceKey, asset: Asset, scanner: Draft['scanner']): Draft[] {
  const out: Draft[] = [];
  for (const cpeTable of childrenNamed(script, 'table')) {
    for (const entry of childrenNamed(cpeTable, 'table')) {
      const e = elems(entry);
      const id = e['id'];
      if (!id || (e['type'] ?? '').toLowerCase() !== 'cve') continue;
      const cvss = makeCvss({ score: e['cvss'], version: null, source: 'vulners' });
      out.push({
        family: FAMILY,
        ruleId: id.toUpperCase(),
        key,
        findingType: 'VULNERABILITY',
        title: `${id.toUpperCase()} in ${cpeTable.attrs['key'] ?? 'service'}`,
        severity: severityFromScore(cvss?.baseScore),
        scannerSeverity: e['cvss'] ?? null,
        confidence: 'MEDIUM',
        cves: [id.toUpperCase()],
        cvss: cvss ? [cvss] : [],
        asset,
        references: [`https://vulners.com/cve/${id.toUpperCase()}`],
        evidence: `${cpeTable.attrs['key'] ?? ''} ${id} cvss=${e['cvss'] ?? '?'} exploit=${e['is_exploit'] ?? '?'}`,
        scanner,
      });
    }
  }
  return out;
}

/** <script id="ssl-enum-ciphers"><table key="TLSv1.0">…<table key="warnings">…</table></table><elem key="least strength">C</elem> */
function sslEnumCiphers(script: XmlElement, key: ServiceKey, asset: Asset, scanner: Draft['scanner']): Draft[] {
  const out: Draft[] = [];
  const warnings: string[] = [];
  const weak: string[] = [];
  for (const proto of childrenNamed(script, 'table')) {
    const name = proto.attrs['key'] ?? '';
    for (const t of childrenNamed(proto, 'table')) {
      if (t.attrs['key'] === 'warnings') warnings.push(...childrenNamed(t, 'elem').map((w) => w.text.trim()));
      if (t.attrs['key'] === 'ciphers') {
        for (const c of childrenNamed(t, 'table')) {
          const e = elems(c);
          if (e['strength'] && e['strength'] !== 'A') weak.push(`${name} ${e['name'] ?? '?'} - ${e['strength']}`);
        }
      }
    }
    const severity = DEPRECATED[name];
    if (severity) {
      out.push({
        family: FAMILY,
        ruleId: `ssl-enum-ciphers/deprecated-protocol/${name}`,
        key,
        findingType: 'MISCONFIGURATION',
        title: `Deprecated protocol ${name} enabled`,
        severity,
        scannerSeverity: null,
        confidence: 'HIGH',
        cwes: ['CWE-327'],
        asset,
        remediation: `Disable ${name}; offer TLS 1.2 and TLS 1.3 only.`,
        scanner,
      });
    }
  }
  const least = elems(script)['least strength'];
  const gradeSeverity = least ? GRADE[least] : undefined;
  if (least && gradeSeverity) {
    out.push({
      family: FAMILY,
      ruleId: 'ssl-enum-ciphers/weak-cipher-grade',
      key,
      findingType: 'MISCONFIGURATION',
      title: `Weak TLS cipher suites offered (least strength ${least})`,
      severity: gradeSeverity,
      scannerSeverity: least,
      confidence: 'HIGH',
      cwes: ['CWE-327'],
      asset,
      evidence: [...sortedCopy(warnings), ...weak].join('\n'),
      remediation: 'Offer only cipher suites graded A (AEAD, forward secrecy).',
      scanner,
    });
  }
  return out;
}

function elems(el: XmlElement): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of childrenNamed(el, 'elem')) if (e.attrs['key']) out[e.attrs['key']] = e.text.trim();
  return out;
}

function sortedCopy(list: string[]): string[] {
  return [...new Set(list)].sort();
}
