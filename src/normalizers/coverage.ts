// A scan's coverage (scan-results `coverage`): what its report says it looked at, gathered while the report is
// parsed. findings_resolver resolves only findings inside it (src/sink/coverage.ts says what "inside" means).
//
// Per format:
//   asmvs-checks-json  hosts[].ports (the TCP ports probed on each host), hosts[].openPorts (open-port ran on each),
//                      checksRun[] with outcome pass or fail (that check ran on that port; error: it did not).
//                      A document whose hosts carry no `ports` (written before them) states no coverage: null.
//   nmap-xml           <scaninfo protocol services> (probed on every host that was up), open <port>s (open-port
//                      ran on each), and the scripts of nmaprun's args mapped to the rules the parser makes of them:
//                      vulners → CVE-*, ssl-enum-ciphers → ssl-enum-ciphers/* (by name, category, glob or "all";
//                      a script that did not run leaves its old findings on still-open ports open).
//   anything else      no port notion (trivy, grype, osv, sarif) or none stated (nuclei, zap, openvas): null, the
//                      scan covers its asset (the artifact) whole, as every scan did before coverage existed.
import type { OpenPort, ScanCoverage } from '../schemas/types.gen.ts';
import { parsePortRanges } from '../port-ranges.ts';
import { arr, isObj, str, port as toPort } from './parse/json-read.ts';
import type { XmlAncestor, XmlElement } from './parse/xml-walk.ts';
import { child, childrenNamed } from './parse/xml-walk.ts';

/** The rule of the informational finding every open port yields (nmap-xml, asmvs-checks-json). */
export const OPEN_PORT_RULE = 'open-port';

export interface CoverageRecorder {
  /** Ports probed on one host, or (`reached`) on every host the report says was up. */
  probed(hosts: readonly string[] | 'reached', protocol: string, ports: string): void;
  /** A host the scan reached (nmap: status up). */
  reached(host: string): void;
  /** An open port, and rules that ran on it to a result; called again for the same port, the rules add up. */
  open(host: string, protocol: string, port: number, rules: readonly string[]): void;
  /** The report cannot say what it probed: the scan covers its asset whole. */
  unbounded(): void;
}

export interface CoverageCollector extends CoverageRecorder {
  /** null when nothing was recorded or the report was unbounded. */
  coverage(): ScanCoverage | null;
}

interface Recorded {
  readonly reached: Set<string>;
  readonly probedOnReached: { protocol: string; ports: string }[];
  readonly probedOn: Map<string, { hosts: string[]; protocol: string; ports: string }>;
  readonly open: Map<string, { port: OpenPort; rules: Set<string> }>;
}

export function coverageCollector(): CoverageCollector {
  // made at the first record: most reports (every format but two) record nothing
  let recorded: Recorded | null = null;
  let unbounded = false;
  const record = (): Recorded =>
    (recorded ??= { reached: new Set(), probedOnReached: [], probedOn: new Map(), open: new Map() });
  return {
    probed(hosts, protocol, ports) {
      const { probedOnReached, probedOn } = record();
      const p = protocol.toLowerCase();
      if (hosts === 'reached') return void probedOnReached.push({ protocol: p, ports });
      for (const host of hosts) {
        // hosts probed on the same list share one entry: a range of hosts states its ports once
        const key = `${p}\u0000${ports}`;
        const entry = probedOn.get(key) ?? { hosts: [], protocol: p, ports };
        if (!entry.hosts.includes(host)) entry.hosts.push(host);
        probedOn.set(key, entry);
      }
    },
    reached(host) {
      record().reached.add(host);
    },
    open(host, protocol, port, rules) {
      const { open } = record();
      const p = protocol.toLowerCase();
      const key = `${host}\u0000${p}\u0000${port}`;
      const entry = open.get(key) ?? { port: { host, protocol: p, port, rules: [] }, rules: new Set<string>() };
      for (const r of rules) entry.rules.add(r);
      open.set(key, entry);
    },
    unbounded() {
      unbounded = true;
    },
    coverage() {
      if (unbounded || recorded === null) return null;
      const { reached, probedOnReached, probedOn, open } = recorded;
      const everywhere = reached.size === 0 ? [] : probedOnReached.map((p) => ({ hosts: [...reached], ...p }));
      return {
        probed: [...everywhere, ...probedOn.values()],
        open: [...open.values()].map((e) => ({ ...e.port, rules: [...e.rules].sort() })),
      };
    },
  };
}

/** asmvs-checks-json hosts[] entry. */
export function checksHostCoverage(recorder: CoverageRecorder, host: unknown): void {
  if (!isObj(host)) return;
  const address = str(host, 'address');
  const ports = str(host, 'ports');
  if (!address || ports === null || parsePortRanges(ports) === null) return recorder.unbounded();
  recorder.probed([address], 'tcp', ports);
  for (const p of arr(host, 'openPorts')) {
    const n = toPort(p);
    if (n !== null) recorder.open(address, 'tcp', n, [OPEN_PORT_RULE]);
  }
}

/** asmvs-checks-json checksRun[] entry: a check that reached a result covers its rule on its port. */
export function checksRunCoverage(recorder: CoverageRecorder, run: unknown): void {
  if (!isObj(run)) return;
  const outcome = str(run, 'outcome');
  const host = str(run, 'host');
  const id = str(run, 'id');
  const p = toPort(run['port']);
  if ((outcome === 'pass' || outcome === 'fail') && host && id && p !== null) recorder.open(host, 'tcp', p, [id]);
}

/** nmap-xml <scaninfo>: the ports of one protocol probed on every host that was up. */
export function nmapScaninfoCoverage(recorder: CoverageRecorder, scaninfo: XmlElement): void {
  const services = scaninfo.attrs['services'];
  if (services === undefined || parsePortRanges(services) === null) return recorder.unbounded();
  recorder.probed('reached', scaninfo.attrs['protocol'] ?? 'tcp', services);
}

/** nmap-xml <host>: reached when up; each open port with open-port and the rules of the scripts that ran. */
export function nmapHostCoverage(recorder: CoverageRecorder, host: XmlElement, root: XmlAncestor | undefined): void {
  if (child(host, 'status')?.attrs['state'] === 'down') return;
  // the host as the findings name it (nmap-xml.ts): the first non-MAC address, else the first hostname
  const address = childrenNamed(host, 'address').find((a) => a.attrs['addrtype'] !== 'mac')?.attrs['addr'];
  const hostnames = child(host, 'hostnames');
  const name = hostnames && childrenNamed(hostnames, 'hostname')[0]?.attrs['name'];
  const key = address ?? name;
  if (!key) return;
  recorder.reached(key);
  const rules = [OPEN_PORT_RULE, ...nmapScriptRules(root?.attrs['args'])];
  for (const port of childrenNamed(child(host, 'ports') ?? host, 'port')) {
    if (child(port, 'state')?.attrs['state'] !== 'open') continue;
    recorder.open(key, port.attrs['protocol'] ?? 'tcp', Number(port.attrs['portid']), rules);
  }
}

// The scripts whose output nmap-xml.ts turns into findings, their nmap categories, and the rules they yield.
const SCRIPTS = [
  { name: 'vulners', categories: ['vuln', 'safe', 'external'], rules: 'CVE-*' },
  { name: 'ssl-enum-ciphers', categories: ['discovery', 'intrusive'], rules: 'ssl-enum-ciphers/*' },
] as const;

/** Rule patterns of the mapped scripts named by nmap's command line (--script x,y / --script=x; -sC and -A: default). */
export function nmapScriptRules(args: string | undefined): string[] {
  const words = (args ?? '').split(/\s+/);
  const specs: string[] = [];
  words.forEach((w, i) => {
    if (w === '--script' || w === '-script') specs.push(...(words[i + 1] ?? '').split(','));
    else if (w.startsWith('--script=')) specs.push(...w.slice('--script='.length).split(','));
    else if (w === '-sC' || w === '-A') specs.push('default');
  });
  const rules = new Set<string>();
  for (const raw of specs) {
    const spec = raw.trim().replace(/\.nse$/, '');
    const glob = new RegExp(`^${spec.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`);
    for (const s of SCRIPTS) {
      if (spec === 'all' || glob.test(s.name) || (s.categories as readonly string[]).includes(spec)) rules.add(s.rules);
    }
  }
  return [...rules].sort();
}
