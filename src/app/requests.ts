// Request events as users start work: a discovery request, or a scan request for one target.
import { randomUUID } from 'node:crypto';
import type { DiscoveryRequest, ScanRequest, Scope } from '../schemas/types.gen.ts';
import { producerOf } from '../version.ts';

export function discoveryRequest(
  targets: readonly string[],
  o: { scope: Scope | null; profile: string; ports: string | null; requestId?: string },
): DiscoveryRequest {
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
    enumerateSubdomains: true,
    reverseDns: true,
    engine: 'BUILTIN',
    scanAfterDiscovery: true,
    organizationId: null,
    labels: {},
  };
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
  };
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
