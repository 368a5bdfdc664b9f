// asm_discovery: discovery-requests → host-scans, assets (+ discovery-progress, job-status). Expands a request into
// one work item per address (names → addresses, CIDRs → hosts), keyed by address so that host_scan copies share a
// range; the DNS findings (names, records, subdomains) are DOMAIN assets emitted here. A /16 is never held in one
// attempt: each attempt expands one chunk (at most `chunkSize` items, or one name) and schedules the next as a
// timer on the request's key, so a crash redoes one chunk, with the same ids and indexes. Keyed by request id: the
// state (the cursor) also makes a redelivered request a no-op.
import { DAY_MS } from '../durations.ts';
import { derivedEventId, assetIdOf } from '../ids.ts';
import type { Context, Processor } from '../processor.ts';
import type { Asset, DiscoveryProgress, DiscoveryRequest, HostScan } from '../schemas/types.gen.ts';
import { parseAddress } from '../scanners/scope/address.ts';
import type { ScopePolicy } from '../scanners/scope/policy.ts';
import type { NameExpansion } from '../engines/name-expansion.ts';
import { planExpansion, type Cursor, type ExpansionUnit } from '../discovery/expansion-plan.ts';
import { expandRange } from '../discovery/expand-range.ts';
import { readCursor, writeCursor, type ExpansionState } from '../discovery/expansion-state.ts';
import { discoveryExpanding, stageFailed } from './job-events.ts';
import { producerOf } from '../version.ts';

export type Observation = Pick<Asset, 'kind' | 'value' | 'hostnames' | 'addresses' | 'dnsRecords' | 'services'>;

export interface DiscoveryDeps {
  /** The operator's policy narrowed by the request's scope (TARGET_INVALID for a malformed request scope). */
  policy(request: DiscoveryRequest): ScopePolicy;
  /** One name: its DOMAIN assets and its addresses in scope (DNS). */
  expandName(
    name: string,
    o: { policy: ScopePolicy; subdomains: boolean; signal: AbortSignal },
  ): Promise<NameExpansion>;
  /** Host items per attempt. */
  readonly chunkSize: number;
  readonly now: () => number;
}

export const STAGE = 'asm_discovery';
const EXPAND = 'expand';
const FORGET = 'forget';
/** How long a request's cursor is kept after its expansion (discovery-requests' retention): replays are no-ops. */
const REMEMBER_MS = 7 * DAY_MS;

type Ctx = Context<'host-scans' | 'assets' | 'discovery-progress' | 'job-status', DiscoveryDeps, 'discovery-requests'>;

export const asmDiscovery: Processor<
  'discovery-requests',
  'host-scans' | 'assets' | 'discovery-progress' | 'job-status',
  DiscoveryDeps,
  typeof STAGE
> = {
  name: STAGE,
  input: 'discovery-requests',
  outputs: ['host-scans', 'assets', 'discovery-progress', 'job-status'],
  keyed: true,
  async handle(request, ctx) {
    const timer = ctx.meta.timer;
    if (timer?.id === FORGET) return ctx.keyed.setState(undefined);
    const state = readCursor(ctx.keyed.state);
    if (timer) return state && !state.done ? expandChunk(request, state, ctx) : undefined;
    if (state) {
      ctx.log.info({ chunk: state.chunk }, 'request already accepted: ignored (redelivered or replayed)');
      return;
    }
    const units = planExpansion(request.targets, ctx.deps.policy(request)); // refuses the request (TARGET_*)
    ctx.emit(
      'job-status',
      request.requestId,
      discoveryExpanding(request.requestId, describePlan(units), ctx.deps.now()),
    );
    await expandChunk(request, { unit: 0, offset: 0n, emitted: 0, chunk: 0, done: false }, ctx);
  },
  // A request refused at once (out of scope, malformed) or whose expansion fails is reported FAILED, so whoever
  // follows it stops.
  onDeadLetter(request, error, ctx) {
    if (!request) return; // undecodable bytes: no request id to report to
    ctx.emit('job-status', request.requestId, stageFailed(STAGE, request.requestId, error, ctx.deps.now()));
  },
};

function describePlan(units: readonly ExpansionUnit[]): string {
  let addresses = 0n;
  let names = 0;
  for (const u of units) {
    if (u.kind === 'range') addresses += u.last - u.first + 1n;
    else names += 1;
  }
  return `expanding ${addresses} addresses${names > 0 ? ` and ${names} names` : ''}`;
}

async function expandChunk(request: DiscoveryRequest, state: ExpansionState, ctx: Ctx): Promise<void> {
  const policy = ctx.deps.policy(request);
  const units = planExpansion(request.targets, policy);
  const now = ctx.deps.now();
  const items: { address: string; hostname: string | null }[] = [];
  const domains: Observation[] = [];
  let unresolved = 0;
  let cursor: Cursor = { unit: state.unit, offset: state.offset };
  while (cursor.unit < units.length && items.length < ctx.deps.chunkSize) {
    const unit = units[cursor.unit] as ExpansionUnit;
    if (unit.kind === 'range') {
      const step = expandRange(unit, cursor, ctx.deps.chunkSize - items.length, policy);
      for (const address of step.addresses) items.push({ address, hostname: null });
      cursor = step.cursor;
      continue;
    }
    // A name costs DNS queries (subdomains: many): one per attempt, so that attempts stay short.
    if (items.length > 0 || domains.length > 0 || unresolved > 0) break;
    const found = await ctx.deps.expandName(unit.name, {
      policy,
      subdomains: request.enumerateSubdomains,
      signal: ctx.signal,
    });
    if (found.refused) unresolved += 1;
    domains.push(...found.domains);
    for (const host of found.hosts)
      if (!coveredByRange(units, host.address)) items.push({ address: host.address, hostname: host.hostname });
    cursor = { unit: cursor.unit + 1, offset: 0n };
  }
  const final = cursor.unit >= units.length;
  items.forEach((item, i) => {
    const index = state.emitted + i;
    ctx.emit('host-scans', item.address, hostItem(request, item, index, now));
  });
  for (const seen of domains) ctx.emit('assets', assetIdOf(seen.kind, seen.value), domainAsset(request, seen, now));
  ctx.emit(
    'discovery-progress',
    request.requestId,
    expanded(request, state, items.length, domains.length, unresolved, final, now),
  );
  const next: ExpansionState = {
    unit: cursor.unit,
    offset: cursor.offset,
    emitted: state.emitted + items.length,
    chunk: state.chunk + 1,
    done: final,
  };
  ctx.keyed.setState(writeCursor(next));
  if (final) {
    ctx.keyed.cancel(EXPAND);
    ctx.keyed.schedule(FORGET, now + REMEMBER_MS, request);
  } else ctx.keyed.schedule(EXPAND, now, request);
}

/** A name's address that a literal range of the same request already covers is scanned once, by the range. */
function coveredByRange(units: readonly ExpansionUnit[], address: string): boolean {
  return units.some((u) => u.kind === 'range' && rangeHas(u, address));
}

function rangeHas(unit: Extract<ExpansionUnit, { kind: 'range' }>, address: string): boolean {
  const parsed = parseAddress(address);
  return parsed !== null && parsed.family === unit.family && parsed.value >= unit.first && parsed.value <= unit.last;
}

function hostItem(
  request: DiscoveryRequest,
  item: { address: string; hostname: string | null },
  index: number,
  now: number,
): HostScan {
  return {
    eventId: derivedEventId(request.requestId, 'host', index),
    requestId: request.requestId,
    producedAt: now,
    producer: producerOf(STAGE),
    address: item.address,
    hostname: item.hostname,
    index,
    ports: request.ports,
    profile: request.profile,
    ping: request.ping,
    limits: request.limits,
    scope: request.scope,
    reverseDns: request.reverseDns,
    scanAfterDiscovery: request.scanAfterDiscovery,
    organizationId: request.organizationId,
    labels: request.labels,
  };
}

function domainAsset(request: DiscoveryRequest, seen: Observation, now: number): Asset {
  const assetId = assetIdOf(seen.kind, seen.value);
  return {
    eventId: derivedEventId(request.requestId, assetId),
    requestId: request.requestId,
    producedAt: now,
    producer: producerOf(STAGE),
    assetId,
    ...seen,
    observedAt: now,
    discoveredBy: STAGE,
    scope: request.scope,
    scanAfterDiscovery: request.scanAfterDiscovery,
    organizationId: request.organizationId,
    labels: request.labels,
    reachability: null,
    resolvedFrom: null,
  };
}

function expanded(
  request: DiscoveryRequest,
  state: ExpansionState,
  items: number,
  assets: number,
  unresolved: number,
  final: boolean,
  now: number,
): DiscoveryProgress {
  return {
    eventId: derivedEventId(request.requestId, 'expanded', state.chunk),
    requestId: request.requestId,
    producedAt: now,
    producer: producerOf(STAGE),
    kind: 'EXPANDED',
    chunk: state.chunk,
    firstIndex: state.emitted,
    items,
    final,
    unresolved,
    index: 0,
    address: null,
    up: false,
    openPorts: 0,
    assets,
    rttMs: null,
    errorCode: null,
  };
}
