// Streaming, bounded parser for nmap's -oX output. saxes never expands DTD entities; on top of that any DOCTYPE other
// than nmap's own bare `<!DOCTYPE nmaprun>` is refused before its first entity is read, so XML bombs and
// external-entity documents fail at once with REPORT_UNSAFE. Depth, element count and bytes are capped.
import { SaxesParser, type SaxesTagPlain } from 'saxes';
import { AsmvsError } from '../../errors.ts';
import type { NmapHost, NmapPort, NmapReport, NmapService } from './nmap-report.ts';

export const MAX_DEPTH = 32;
export const MAX_ELEMENTS = 2_000_000;
export const MAX_XML_BYTES = 64 * 1024 * 1024;

function unsafe(message: string): AsmvsError {
  return new AsmvsError('REPORT_UNSAFE', `nmap XML refused: ${message}`);
}

type MutablePort = {
  protocol: string;
  port: number;
  state: string;
  reason: string | null;
  service: NmapService | null;
  scripts: { id: string; output: string }[];
};
type MutableHost = {
  addresses: { addr: string; type: string }[];
  hostnames: string[];
  status: string | null;
  ports: MutablePort[];
};

function attr(tag: SaxesTagPlain, name: string): string | null {
  const v = tag.attributes[name];
  return typeof v === 'string' ? v : null;
}

export interface NmapXmlParser {
  write(chunk: Buffer | string): void;
  close(): NmapReport;
}

export function createNmapXmlParser(maxBytes = MAX_XML_BYTES): NmapXmlParser {
  const parser = new SaxesParser({ xmlns: false, position: false });
  let depth = 0;
  let elements = 0;
  let bytes = 0;
  let failure: AsmvsError | null = null;
  const report = {
    scanner: null as string | null,
    version: null as string | null,
    args: null as string | null,
    hosts: [] as MutableHost[],
    finished: false,
  };
  let host: MutableHost | null = null;
  let port: MutablePort | null = null;
  let rootSeen = false;

  const fail = (error: AsmvsError) => {
    failure ??= error;
    throw failure;
  };
  parser.on('doctype', (doctype) => {
    // nmap writes `<!DOCTYPE nmaprun>`; anything more (an internal subset, SYSTEM or PUBLIC ids) is refused.
    if (!/^\s*nmaprun\s*$/.test(doctype)) fail(unsafe('a DOCTYPE with declarations or external identifiers'));
  });
  parser.on('opentag', (tag) => {
    depth++;
    elements++;
    if (depth > MAX_DEPTH) fail(unsafe(`nesting deeper than ${MAX_DEPTH}`));
    if (elements > MAX_ELEMENTS) fail(unsafe(`more than ${MAX_ELEMENTS} elements`));
    if (!rootSeen) {
      rootSeen = true;
      if (tag.name !== 'nmaprun')
        fail(new AsmvsError('REPORT_UNPARSEABLE', `not an nmap report: root element <${tag.name.slice(0, 40)}>`));
      report.scanner = attr(tag, 'scanner');
      report.version = attr(tag, 'version');
      report.args = attr(tag, 'args');
      return;
    }
    switch (tag.name) {
      case 'host':
        host = { addresses: [], hostnames: [], status: null, ports: [] };
        report.hosts.push(host);
        break;
      case 'status':
        if (host) host.status = attr(tag, 'state');
        break;
      case 'address':
        if (host) host.addresses.push({ addr: attr(tag, 'addr') ?? '', type: attr(tag, 'addrtype') ?? '' });
        break;
      case 'hostname':
        if (host && attr(tag, 'name')) host.hostnames.push(attr(tag, 'name') ?? '');
        break;
      case 'port':
        if (host) {
          port = {
            protocol: attr(tag, 'protocol') ?? 'tcp',
            port: Number(attr(tag, 'portid')),
            state: 'unknown',
            reason: null,
            service: null,
            scripts: [],
          };
          host.ports.push(port);
        }
        break;
      case 'state':
        if (port) {
          port.state = attr(tag, 'state') ?? 'unknown';
          port.reason = attr(tag, 'reason');
        }
        break;
      case 'service':
        if (port) {
          const conf = attr(tag, 'conf');
          port.service = {
            name: attr(tag, 'name'),
            product: attr(tag, 'product'),
            version: attr(tag, 'version'),
            extrainfo: attr(tag, 'extrainfo'),
            tunnel: attr(tag, 'tunnel'),
            method: attr(tag, 'method'),
            conf: conf === null ? null : Number(conf),
          };
        }
        break;
      case 'script':
        if (port)
          port.scripts.push({ id: attr(tag, 'id') ?? '', output: (attr(tag, 'output') ?? '').slice(0, 65_536) });
        break;
      case 'finished':
        report.finished = attr(tag, 'exit') === 'success';
        break;
    }
  });
  parser.on('closetag', (tag) => {
    depth--;
    if (tag.name === 'port') port = null;
    if (tag.name === 'host') host = null;
  });
  parser.on('error', (error) =>
    fail(
      new AsmvsError('REPORT_UNPARSEABLE', `nmap XML is malformed: ${error.message.slice(0, 200)}`, { cause: error }),
    ),
  );

  return {
    write(chunk) {
      if (failure) throw failure;
      bytes += typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.length;
      if (bytes > maxBytes) fail(new AsmvsError('OUTPUT_TOO_LARGE', `nmap XML is larger than ${maxBytes} bytes`));
      parser.write(typeof chunk === 'string' ? chunk : chunk.toString('utf8'));
    },
    close() {
      if (failure) throw failure;
      parser.close();
      if (!rootSeen) fail(new AsmvsError('REPORT_UNPARSEABLE', 'nmap XML is empty'));
      return report as NmapReport;
    },
  };
}

export function parseNmapXml(xml: Buffer | string, maxBytes = MAX_XML_BYTES): NmapReport {
  const parser = createNmapXmlParser(maxBytes);
  parser.write(xml);
  return parser.close();
}

export type { NmapHost, NmapPort };
