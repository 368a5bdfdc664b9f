// Which findings a scan may resolve: those inside its coverage (scan-results `coverage`, built from the report by
// src/normalizers/coverage.ts). A finding is inside when its host, protocol and port were probed and either
//   - that port is not open now: whatever the finding was about is gone with the service, or
//   - the scan ran the finding's rule on it (open-port, a check id, or a pattern such as CVE-*).
// A finding with no port (or no host) is inside only a coverage of null. null: everything of the asset and scanner,
// which is what every scan resolved before coverage existed, and what summaries from older producers still get.
import type { ScanCoverage } from '../schemas/types.gen.ts';
import { inPortRanges, parsePortRanges, type PortRanges } from '../port-ranges.ts';

/** Where a stored finding is, as its row says (asset ip, else hostname; port; protocol) and what found it. */
export interface FindingPlace {
  readonly host: string | null;
  readonly protocol: string | null;
  readonly port: number | null;
  readonly ruleId: string | null;
}

const key = (host: string, protocol: string, port: number) => `${host.toLowerCase()}\u0000${protocol}\u0000${port}`;

export function insideCoverage(coverage: ScanCoverage | null): (finding: FindingPlace) => boolean {
  if (coverage === null) return () => true;
  // an unreadable port list probes nothing: the scan then resolves less, never more
  const probed = coverage.probed.map((p) => ({
    hosts: new Set(p.hosts.map((h) => h.toLowerCase())),
    protocol: p.protocol.toLowerCase(),
    ranges: parsePortRanges(p.ports) ?? ([] as PortRanges),
  }));
  const rulesOn = new Map<string, string[]>();
  for (const o of coverage.open) {
    const k = key(o.host, o.protocol.toLowerCase(), o.port);
    rulesOn.set(k, [...(rulesOn.get(k) ?? []), ...o.rules]);
  }
  return (f) => {
    if (f.host === null || f.port === null) return false;
    const host = f.host.toLowerCase();
    const protocol = (f.protocol ?? 'tcp').toLowerCase();
    const port = f.port;
    if (!probed.some((p) => p.protocol === protocol && p.hosts.has(host) && inPortRanges(p.ranges, port))) return false;
    const rules = rulesOn.get(key(host, protocol, port));
    return rules === undefined || rules.some((r) => ruleMatches(r, f.ruleId));
  };
}

function ruleMatches(pattern: string, ruleId: string | null): boolean {
  if (pattern.endsWith('*')) return (ruleId ?? '').startsWith(pattern.slice(0, -1));
  return pattern === ruleId;
}

/** The coverage of a split scan: its parts' together; any part without one makes it the asset whole. */
export function unionCoverage(parts: readonly (ScanCoverage | null)[]): ScanCoverage | null {
  if (parts.length === 0 || parts.some((p) => p === null)) return null;
  return {
    probed: parts.flatMap((p) => p!.probed),
    open: parts.flatMap((p) => p!.open),
  };
}
