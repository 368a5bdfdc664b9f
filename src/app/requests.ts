// Request events as users start work: a discovery request, or a scan request for one target.
import { randomUUID } from 'node:crypto';
import type { DiscoveryRequest, HostPing, ScanLimits, ScanRequest, Scope } from '../schemas/types.gen.ts';
import { AsmvsError } from '../errors.ts';
import { parsePorts } from '../scanners/scope/ports.ts';
import { parseTarget } from '../scanners/scope/target.ts';
import { producerOf } from '../version.ts';

export interface DiscoveryOptions {
  readonly scope: Scope | null;
  readonly profile: string;
  readonly ports: string | null;
  readonly requestId?: string;
  /** Default true: names are searched for subdomains too. */
  readonly enumerateSubdomains?: boolean;
  /** null: ping on, the default ports. */
  readonly ping?: HostPing | null;
  readonly limits?: ScanLimits | null;
}

export function discoveryRequest(targets: readonly string[], o: DiscoveryOptions): DiscoveryRequest {
  const requestId = o.requestId ?? randomUUID();
  return {
    eventId: randomUUID(),
    requestId,
    producedAt: Date.now(),
    producer: producerOf('cli'),
    targets: [...targets],
    scope: o.scope,
    ports: o.ports,
    profile: o.profile,
    enumerateSubdomains: o.enumerateSubdomains ?? true,
    reverseDns: true,
    engine: 'BUILTIN',
    scanAfterDiscovery: true,
    organizationId: null,
    labels: {},
    ping: o.ping ?? null,
    limits: o.limits ?? null,
  };
}

export interface ScanTargetOptions {
  readonly scope: Scope | null;
  readonly profile: string;
  readonly ports?: string;
  /** false: every address is port-scanned (no host discovery); default true. */
  readonly ping?: boolean;
  readonly pingPorts?: readonly number[];
  readonly limits?: ScanLimits | null;
  readonly requestId?: string;
}

/**
 * `asmvs scan <target>`, one-shot or submitted: a discovery request for the target alone (no subdomain search),
 * whose hosts are scanned — the same request either way.
 */
export function scanTargetRequest(target: string, o: ScanTargetOptions): DiscoveryRequest {
  return discoveryRequest([target], {
    scope: o.scope,
    profile: o.profile,
    ports: o.ports ?? null,
    enumerateSubdomains: false,
    ping: o.ping === false || o.pingPorts ? { enabled: o.ping !== false, ports: [...(o.pingPorts ?? [])] } : null,
    limits: o.limits ?? null,
    ...(o.requestId ? { requestId: o.requestId } : {}),
  });
}

export function scanRequest(
  target: string,
  o: {
    scope: Scope | null;
    profile: string;
    ports: readonly number[];
    engine: 'BUILTIN' | 'PLATFORM' | null;
    requestId?: string;
  },
): ScanRequest {
  return {
    eventId: randomUUID(),
    requestId: o.requestId ?? randomUUID(),
    producedAt: Date.now(),
    producer: producerOf('cli'),
    assetId: null,
    target,
    ports: [...o.ports],
    scanners: [],
    profile: o.profile,
    engine: o.engine,
    reason: 'on-demand',
    exposure: null,
    scope: o.scope,
    deadlineMs: null,
    hostname: null,
    services: [],
  };
}

/** `scan --submit --engine platform`: the platform scans what it is given — one target, straight to vs_scan_trigger. */
export function platformScanRequest(
  target: string,
  o: { readonly scope: Scope | null; readonly profile: string; readonly ports?: string },
): ScanRequest {
  if (parseTarget(target).kind === 'network')
    throw new AsmvsError('USAGE', '--engine platform scans one address, name or URL, not a network');
  return scanRequest(target, {
    scope: o.scope,
    profile: o.profile,
    ports: o.ports ? parsePorts(o.ports) : [],
    engine: 'PLATFORM',
  });
}

/** `--scope a,b,!c`: allow a and b, deny c. */
export function parseScopeOption(text: string | undefined): Scope | null {
  if (text === undefined) return null;
  const items = text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  return {
    allow: items.filter((i) => !i.startsWith('!')),
    deny: items.filter((i) => i.startsWith('!')).map((i) => i.slice(1)),
  };
}
