// The one nmap XML parser: streams a report through the shared XML safety layer (parse/xml-walk.ts: no DTD but
// nmap's bare `<!DOCTYPE nmaprun>`, no entities, depth and size caps), hands over each <host> as it closes, and at
// the end says whether the run finished. The nmap scanner collects the hosts into an NmapReport (parseNmapXml,
// createNmapXmlParser); the nmap-xml format maps each host to findings as it arrives.
import { AsmvsError } from '../../../errors.ts';
import { XmlWalker, child, childrenNamed } from '../../parse/xml-walk.ts';
import type { XmlAncestor, XmlElement } from '../../parse/xml-walk.ts';
import { wrongFormat } from '../wrong-format.ts';
import type { NmapHost, NmapPort, NmapReport, NmapService } from './nmap-report.ts';

export interface NmapRun {
  scanner: string | null;
  version: string | null;
  args: string | null;
  finished: boolean;
}

export interface NmapXmlReader {
  /** The <nmaprun> attributes, once the root has been read. */
  readonly run: NmapRun;
  write(chunk: Uint8Array): void;
  /** Throws if the document is incomplete or not nmap's. */
  end(): NmapRun;
}

export interface NmapXmlHandlers {
  /** Each <host> as it closes: the model, the run so far, and the element itself (for coverage). */
  onHost: (host: NmapHost, run: NmapRun, element: XmlElement, root: XmlAncestor | undefined) => void;
  /** Each <scaninfo> (what was probed, per protocol). */
  onScaninfo?: (scaninfo: XmlElement) => void;
}

export function createNmapXmlReader(handlers: NmapXmlHandlers): NmapXmlReader {
  const run: NmapRun = { scanner: null, version: null, args: null, finished: false };
  let rootRead = false;
  const walker = new XmlWalker({
    collect: (name, ancestors) =>
      ((name === 'host' || name === 'scaninfo') && ancestors.length === 1) ||
      (name === 'finished' && ancestors.at(-1)?.name === 'runstats'),
    onElement: (el, ancestors) => {
      if (!rootRead) readRoot(ancestors[0]?.attrs ?? {});
      if (el.name === 'finished') run.finished = el.attrs['exit'] === 'success';
      else if (el.name === 'scaninfo') handlers.onScaninfo?.(el);
      else handlers.onHost(hostOf(el), run, el, ancestors[0]);
    },
  });
  const readRoot = (attrs: Readonly<Record<string, string>>) => {
    rootRead = true;
    run.scanner = attrs['scanner'] ?? null;
    run.version = attrs['version'] ?? null;
    run.args = attrs['args'] ?? null;
  };
  const checkRoot = () => {
    if (walker.rootName !== null && walker.rootName !== 'nmaprun') {
      throw wrongFormat('nmap-xml', `root <${walker.rootName.slice(0, 40)}>`);
    }
  };
  return {
    run,
    write(chunk) {
      walker.write(chunk);
      checkRoot();
    },
    end() {
      walker.end();
      checkRoot();
      if (!rootRead) readRoot(walker.rootAttrs ?? {});
      return run;
    },
  };
}

function hostOf(host: XmlElement): NmapHost {
  const hostnames = child(host, 'hostnames');
  return {
    addresses: childrenNamed(host, 'address').map((a) => ({
      addr: a.attrs['addr'] ?? '',
      type: a.attrs['addrtype'] ?? '',
    })),
    hostnames: hostnames
      ? childrenNamed(hostnames, 'hostname')
          .filter((h) => (h.attrs['name'] ?? '') !== '')
          .map((h) => ({ name: h.attrs['name'] ?? '', type: h.attrs['type'] ?? null }))
      : [],
    status: child(host, 'status')?.attrs['state'] ?? null,
    ports: childrenNamed(child(host, 'ports') ?? host, 'port').map(portOf),
  };
}

function portOf(port: XmlElement): NmapPort {
  const id = port.attrs['portid'] ?? '';
  // nmap writes 0–65535; anything else is a corrupt or forged report, and a port NaN would merge distinct ports
  if (!/^\d{1,5}$/.test(id) || Number(id) > 65535) {
    throw new AsmvsError(
      'REPORT_UNPARSEABLE',
      `the nmap report has a port id that is not a port number: ${JSON.stringify(id.slice(0, 20))}`,
    );
  }
  const state = child(port, 'state');
  const svc = child(port, 'service');
  return {
    protocol: port.attrs['protocol'] ?? 'tcp',
    port: Number(id),
    state: state?.attrs['state'] ?? 'unknown',
    reason: state?.attrs['reason'] ?? null,
    service: svc ? serviceOf(svc) : null,
    scripts: childrenNamed(port, 'script').map((s) => ({
      id: s.attrs['id'] ?? '',
      output: (s.attrs['output'] ?? '').slice(0, 65_536),
      element: s,
    })),
  };
}

function serviceOf(svc: XmlElement): NmapService {
  const a = svc.attrs;
  const conf = a['conf'];
  return {
    name: a['name'] ?? null,
    product: a['product'] ?? null,
    version: a['version'] ?? null,
    extrainfo: a['extrainfo'] ?? null,
    tunnel: a['tunnel'] ?? null,
    method: a['method'] ?? null,
    conf: conf === undefined || !/^\d+$/.test(conf) ? null : Number(conf),
    cpes: childrenNamed(svc, 'cpe')
      .map((c) => c.text.trim())
      .filter((c) => c !== ''),
  };
}

/** The scanner's parser: the whole report as an NmapReport. Output past maxBytes is the scanner's cap. */
export interface NmapXmlParser {
  write(chunk: Uint8Array | string): void;
  close(): NmapReport;
}

export function createNmapXmlParser(maxBytes = Number.MAX_SAFE_INTEGER): NmapXmlParser {
  const hosts: NmapHost[] = [];
  const reader = createNmapXmlReader({ onHost: (h) => hosts.push(h) });
  let bytes = 0;
  let failure: unknown = null;
  return {
    write(chunk) {
      if (failure) throw failure;
      const data = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      bytes += data.length;
      try {
        if (bytes > maxBytes) throw new AsmvsError('OUTPUT_TOO_LARGE', `nmap XML is larger than ${maxBytes} bytes`);
        reader.write(data);
      } catch (error) {
        failure = error;
        throw error;
      }
    },
    close() {
      if (failure) throw failure;
      const run = reader.end();
      return { ...run, hosts };
    },
  };
}

export function parseNmapXml(xml: Uint8Array | string, maxBytes?: number): NmapReport {
  const parser = createNmapXmlParser(maxBytes);
  parser.write(xml);
  return parser.close();
}
