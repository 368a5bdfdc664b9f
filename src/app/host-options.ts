// What the host-discovery and politeness options of `scan` and `discover` ask of a request: ping or not, the ping
// ports, and the request's own lower limits (hosts and connections at once, new connections per second, per copy).
import { AsmvsError } from '../errors.ts';
import type { ScanLimits } from '../schemas/types.gen.ts';
import { parsePorts } from '../scanners/scope/ports.ts';

export interface HostOptions {
  ping?: boolean;
  pingPorts?: string;
  maxHosts?: string;
  maxConnections?: string;
  maxRate?: string;
}

function positive(name: string, text: string | undefined): number | null {
  if (text === undefined) return null;
  const n = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(n) || n < 1)
    throw new AsmvsError('USAGE', `${name} must be a whole number of at least 1, got ${JSON.stringify(text)}`);
  return n;
}

/** What the options ask of the request; USAGE errors name the option. */
export function hostOptionsOf(o: HostOptions): {
  ping: boolean;
  pingPorts?: number[];
  limits: ScanLimits | null;
} {
  if (o.ping === false && o.pingPorts !== undefined)
    throw new AsmvsError('USAGE', '--ping-ports has no effect with --no-ping');
  const pingPorts = o.pingPorts === undefined ? undefined : parsePorts(o.pingPorts);
  if (pingPorts && pingPorts.length > 16)
    throw new AsmvsError('USAGE', `--ping-ports names ${pingPorts.length} ports; host discovery takes at most 16`);
  const limits = {
    hostsInFlight: positive('--max-hosts', o.maxHosts),
    connectionsInFlight: positive('--max-connections', o.maxConnections),
    connectionsPerSecond: positive('--max-rate', o.maxRate),
  };
  const any = Object.values(limits).some((v) => v !== null);
  return { ping: o.ping !== false, ...(pingPorts ? { pingPorts } : {}), limits: any ? limits : null };
}
