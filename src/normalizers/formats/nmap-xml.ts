// nmap XML (-oX). Each open port is an informational SERVICE finding; NSE output becomes findings too:
// vulners (one VULNERABILITY per CVE and port) and ssl-enum-ciphers (deprecated protocols, weak cipher grade).
// Closed and filtered ports are not findings. Scripts other than these two are not mapped. <scaninfo> and each
// host's ports give the scan's coverage (coverage.ts).
import type { Draft, FormatParserFactory } from '../draft.ts';
import { XmlWalker, child, childrenNamed } from '../parse/xml-walk.ts';
import type { XmlElement } from '../parse/xml-walk.ts';
import { wrongFormat } from './wrong-format.ts';
import { nmapHostCoverage, nmapScaninfoCoverage } from '../coverage.ts';
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
  let version: string | null = null;
  const walker = new XmlWalker({
    collect: (name, ancestors) => (name === 'host' || name === 'scaninfo') && ancestors.length === 1,
    onElement: (el, ancestors) => {
      if (el.name === 'scaninfo') return nmapScaninfoCoverage(context.coverage, el);
      version = ancestors[0]?.attrs['version'] ?? version;
      for (const d of hostDrafts(el, { name: FAMILY, version: version ?? context.scanner.version })) sink(d);
      nmapHostCoverage(context.coverage, el, ancestors[0]);
    },
  });
  return {
    write: (chunk) => {
      walker.write(chunk);
      if (walker.rootName !== null && walker.rootName !== 'nmaprun')
        throw wrongFormat('nmap-xml', `root <${walker.rootName}>`);
    },
    end: () => {
      walker.end();
      if (walker.rootName !== 'nmaprun') throw wrongFormat('nmap-xml', `root <${walker.rootName}>`);
    },
  };
};

function hostDrafts(host: XmlElement, scanner: { name: string; version: string | null }): Draft[] {
  const addresses = childrenNamed(host, 'address').filter((a) => a.attrs['addrtype'] !== 'mac');
  const ip = addresses[0]?.attrs['addr'] ?? null;
  const hostnames = child(host, 'hostnames');
  const hostname = (hostnames && childrenNamed(hostnames, 'hostname')[0]?.attrs['name']) ?? null;
  const hostKey = ip ?? hostname;
  if (!hostKey) return [];
  const out: Draft[] = [];
  for (const port of childrenNamed(child(host, 'ports') ?? host, 'port')) {
    if (child(port, 'state')?.attrs['state'] !== 'open') continue;
    const portNumber = Number(port.attrs['portid']);
    const protocol = port.attrs['protocol'] ?? 'tcp';
    const svc = child(port, 'service')?.attrs ?? {};
    // nmap's own spelling for a service inside TLS is ssl/<name>
    const service = svc['name'] ? (svc['tunnel'] === 'ssl' ? `ssl/${svc['name']}` : svc['name']) : null;
    const product = svc['product'] ?? null;
    const version = svc['version'] ?? null;
    const key = { kind: 'service', host: hostKey, port: portNumber, protocol } as const;
    const asset = { hostname, ip, port: portNumber, protocol, service, product, version };
    const label = [product, version].filter(Boolean).join(' ');
    out.push({
      family: FAMILY,
      ruleId: 'open-port',
      key,
      findingType: 'SERVICE',
      title: `Open port ${portNumber}/${protocol}${service ? ': ' + service : ''}${label ? ` (${label})` : ''}`,
      description: svc['extrainfo'] ?? null,
      severity: 'INFO',
      scannerSeverity: null,
      confidence: svc['method'] === 'probed' ? 'HIGH' : 'LOW',
      asset,
      references: childrenNamed(child(port, 'service') ?? port, 'cpe').map((c) => c.text.trim()),
      scanner,
    });
    for (const script of childrenNamed(port, 'script')) {
      if (script.attrs['id'] === 'vulners') out.push(...vulners(script, key, asset, scanner));
      if (script.attrs['id'] === 'ssl-enum-ciphers') out.push(...sslEnumCiphers(script, key, asset, scanner));
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
