// Monitored targets as events: building a validated ADD or REMOVE for `asmvs monitor`, and folding the compacted
// `monitors` topic into the monitors that are active now. Pure: the checks here send no packet and no DNS query.
import { randomUUID } from 'node:crypto';
import { formatDuration, parseDuration } from '../durations.ts';
import { AsmvsError } from '../errors.ts';
import { producerOf } from '../version.ts';
import { checkRequest } from './check-request.ts';
import { readToEnd } from '../runtime/kafka/read-topic.ts';
import type { KafkaSource } from '../runtime/kafka/session.ts';
import type { MonitorEvent, Scope } from '../schemas/types.gen.ts';
import { formatAddress, formatNetwork } from '../scanners/scope/address.ts';
import type { OperatorScope } from '../scanners/scope/policy.ts';
import { parseTarget, type Target } from '../scanners/scope/target.ts';

export interface MonitorOptions {
  readonly every: string;
  readonly scope: Scope | null;
  readonly ports: string | null;
  readonly profile: string;
  readonly scanAfterDiscovery: boolean;
  /** `key=value` texts as given on the command line. */
  readonly labels: readonly string[];
}

export interface MonitorEnv {
  readonly operatorScope: OperatorScope;
  readonly minIntervalMs: number;
  readonly now: number;
}

/** A validated ADD event, or the first reason it is refused (TARGET_*, USAGE). */
export function monitorAddition(input: string, options: MonitorOptions, env: MonitorEnv): MonitorEvent {
  const target = monitorTarget(input);
  const everyMs = monitorInterval(options.every, env.minIntervalMs);
  checkRequest(env.operatorScope, {
    target: input,
    scope: options.scope,
    profile: options.profile,
    ports: options.ports,
  });
  return {
    eventId: randomUUID(),
    requestId: randomUUID(),
    producedAt: env.now,
    producer: producerOf('cli'),
    monitorId: canonicalTarget(target),
    action: 'ADD',
    target: canonicalTarget(target),
    everyMs,
    scope: options.scope,
    ports: options.ports === null ? null : options.ports.trim(),
    profile: options.profile,
    scanAfterDiscovery: options.scanAfterDiscovery,
    organizationId: null,
    labels: parseLabels(options.labels),
  };
}

/** The REMOVE event that ends an active monitor. */
export function monitorRemoval(active: MonitorEvent, now: number): MonitorEvent {
  return {
    ...active,
    eventId: randomUUID(),
    requestId: randomUUID(),
    producedAt: now,
    producer: producerOf('cli'),
    action: 'REMOVE',
    everyMs: 0,
  };
}

/**
 * The monitor id a target text is stored under (its canonical form), so that `remove EXAMPLE.org.` finds the monitor
 * added as `example.org`. Text that is not a valid target is looked up as it is: it can name nothing added here.
 */
export function monitorIdOf(input: string): string {
  try {
    return canonicalTarget(monitorTarget(input));
  } catch {
    return input;
  }
}

function monitorTarget(input: string): Target {
  const target = parseTarget(input);
  if (target.kind === 'url')
    throw new AsmvsError(
      'TARGET_INVALID',
      `invalid target ${JSON.stringify(input)}: a monitor watches a hostname, domain, address or CIDR, not a URL`,
      { details: { reason: 'URL' } },
    );
  return target;
}

function canonicalTarget(target: Target): string {
  switch (target.kind) {
    case 'address':
      return formatAddress(target.address);
    case 'network':
      return formatNetwork(target.network);
    case 'hostname':
      return target.hostname;
    case 'url':
      return target.url.href;
  }
}

/** `--every`: a duration at or above the operator's minimum. */
export function monitorInterval(text: string, minIntervalMs: number): number {
  let everyMs: number;
  try {
    everyMs = parseDuration(text);
  } catch (error) {
    throw new AsmvsError('USAGE', `--every: ${(error as Error).message}`);
  }
  if (everyMs <= 0) throw new AsmvsError('USAGE', `--every: ${JSON.stringify(text)} must be longer than zero`);
  if (everyMs < minIntervalMs)
    throw new AsmvsError(
      'USAGE',
      `--every ${formatDuration(everyMs)} is below the operator's minimum interval of ${formatDuration(minIntervalMs)} (MONITOR_MIN_INTERVAL_MS)`,
      { details: { everyMs, minIntervalMs } },
    );
  return everyMs;
}

function parseLabels(texts: readonly string[]): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const text of texts) {
    const eq = text.indexOf('=');
    const key = eq > 0 ? text.slice(0, eq).trim() : '';
    if (key === '') throw new AsmvsError('USAGE', `--label ${JSON.stringify(text)}: write key=value`);
    // asm_scheduler writes its own labels (MONITOR_LABELS) under this prefix onto every round's request.
    if (key.startsWith('asmvs.'))
      throw new AsmvsError('USAGE', `--label ${JSON.stringify(key)}: keys starting with "asmvs." are reserved`);
    labels[key] = text.slice(eq + 1);
  }
  return labels;
}

/** The active monitors: the latest event per monitor id, REMOVE removing it. Feed events in log order per key. */
export class MonitorFold {
  readonly #active = new Map<string, MonitorEvent>();

  apply(event: MonitorEvent): void {
    if (event.action === 'REMOVE') this.#active.delete(event.monitorId);
    else this.#active.set(event.monitorId, event);
  }

  get(monitorId: string): MonitorEvent | undefined {
    return this.#active.get(monitorId);
  }

  /** Sorted by target, for stable output. */
  list(): MonitorEvent[] {
    return [...this.#active.values()].sort((a, b) => (a.target < b.target ? -1 : a.target > b.target ? 1 : 0));
  }
}

/** The monitors active now: the compacted topic read to its current end. An undecodable record is an error. */
export async function activeMonitors(kafka: KafkaSource, signal: AbortSignal): Promise<MonitorFold> {
  const fold = new MonitorFold();
  let undecodable: AsmvsError | undefined;
  await readToEnd(kafka, 'monitors', signal, (r) => {
    if (r.error) {
      const where = `monitors partition ${r.partition} offset ${r.offset}`;
      undecodable = new AsmvsError(r.error.code, `${where}: ${r.error.message}`, { cause: r.error });
      return 'stop';
    }
    if (r.value) fold.apply(r.value);
  });
  if (undecodable) throw undecodable;
  return fold;
}
