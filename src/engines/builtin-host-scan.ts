// The BUILTIN host scan: one address of a discovery request, end to end. Scope is checked again now (the item may
// run long after its request, or be replayed under a changed policy), with the name it was resolved from, so an
// address reached through an allowed domain is scanned and a denied or metadata address is not. Then host
// discovery (TCP pings, unless the request turned it off), the port scan and service identification under this
// process's connection budget and its request's ping timing (shared by the copies, request-timings.ts), and
// reverse DNS.
import { AsmvsError } from '../errors.ts';
import type { HostObservation } from '../processors/host-scan.ts';
import type { HostScan, Service } from '../schemas/types.gen.ts';
import { scanHost } from '../scanners/builtin/scan-host.ts';
import type { DnsClient } from '../scanners/dns/dns-client.ts';
import type { ScanContext, ServiceResult } from '../scanners/index.ts';
import { formatAddress, parseAddress } from '../scanners/scope/address.ts';
import { narrowPolicy } from '../scanners/scope/policy.ts';
import { checkReachedAddress } from '../scanners/scope/resolve.ts';
import { parsePorts } from '../scanners/scope/ports.ts';
import { pingHost } from '../scanners/tcp/tcp-ping.ts';
import { classifyAddress } from '../exposure/address-class.ts';
import { profilePorts } from './profiles.ts';
import type { HostScanLimits } from './host-scan-limits.ts';
import type { RequestTimings } from '../scanners/tcp/request-timings.ts';

export interface HostScanEnv {
  /** A scanner context (operator policy, io) for one host. */
  context(signal: AbortSignal): ScanContext;
  readonly dns: DnsClient;
  readonly limits: HostScanLimits;
  /** Ping timeouts per request, learnt from live hosts' answers. */
  readonly timings: RequestTimings;
  /** Ports pinged when a request names none. */
  readonly pingPorts: readonly number[];
  /** Wall-clock budget of one host, pings to identification. */
  readonly hostTimeoutMs: number;
}

function toService(s: ServiceResult): Service {
  const { host: _host, hostname: _hostname, ...service } = s;
  return service;
}

// Loopback and link-local names are local facts (/etc/hosts), not DNS: asking a resolver about them only sends a
// query off the machine for nothing.
function wantsReverse(address: string): boolean {
  const kind = classifyAddress(address);
  return kind !== 'loopback' && kind !== 'link-local';
}

async function reverseOf(dns: DnsClient, address: string): Promise<string[]> {
  try {
    return await dns.reverse(address);
  } catch (error) {
    if (error instanceof AsmvsError && (error.code === 'DNS_NOT_FOUND' || error.code === 'DNS_FAILED')) return [];
    throw error;
  }
}

/**
 * The round trip a live host teaches its request's ping timing: the quickest of its ping's answer and its port
 * scan's answers. Each is timed in this process, so each includes how busy the process was when the answer came
 * (a ping of the first wave waits behind a whole wave's start-up); the quickest includes the least of it and is
 * still never quicker than the network. Null when the host was not pinged: there is no ping timing to teach.
 */
export function hostRoundTrip(pingMs: number | null, portScanMs: number | null): number | null {
  if (pingMs === null) return null;
  return portScanMs === null ? pingMs : Math.min(pingMs, portScanMs);
}

export function builtinHostScan(env: HostScanEnv) {
  return async function scan(item: HostScan, outer: AbortSignal): Promise<HostObservation> {
    const timeout = AbortSignal.timeout(env.hostTimeoutMs);
    const signal = AbortSignal.any([outer, timeout]);
    const ctx = env.context(signal);
    const parsed = parseAddress(item.address);
    if (!parsed)
      throw new AsmvsError('TARGET_INVALID', `host item address ${JSON.stringify(item.address)} is not an address`);
    await checkReachedAddress(narrowPolicy(ctx.policy, item.scope), parsed, item.hostname, ctx.resolver, signal);
    const address = formatAddress(parsed);
    const ports = item.ports ? parsePorts(item.ports) : profilePorts(item.profile);
    // A hand-made item is checked like a request: ping ports are ports, and a few of them.
    const pingPorts = item.ping && item.ping.ports.length > 0 ? parsePorts(item.ping.ports, 16) : env.pingPorts;
    const timing = env.timings.forHost(item.requestId, item.index);
    try {
      return await env.limits.forRequest(item.requestId, item.limits, async (budget) => {
        const ping =
          item.ping?.enabled === false
            ? null
            : await pingHost({
                address,
                ports: pingPorts,
                io: ctx.io,
                signal,
                // Learnt below, once the port scan has timed more answers of this host.
                timing: { timeoutMs: () => timing.timeoutMs(), observe: () => undefined },
                budget,
              });
        if (ping && !ping.up) return { up: false, reachability: null, hostnames: [], services: [], rttMs: null };
        let rttMs: number | null = null;
        const found = await scanHost(
          { address, family: parsed.family, hostname: item.hostname },
          {
            io: ctx.io,
            signal,
            ports,
            identify: true,
            checks: false,
            budget,
            onPortScan: (scanned) => {
              rttMs = hostRoundTrip(ping?.rttMs ?? null, scanned.fastestRttMs);
              if (rttMs !== null) timing.observe(rttMs);
            },
          },
        );
        const hostnames = new Set(item.hostname ? [item.hostname] : []);
        if (item.reverseDns && wantsReverse(address))
          for (const name of await reverseOf(env.dns, address)) hostnames.add(name);
        return {
          up: true,
          reachability: ping
            ? { reason: ping.reason, port: ping.port, rttMs: ping.rttMs }
            : { reason: 'ping-off', port: null, rttMs: null },
          hostnames: [...hostnames].sort(),
          services: found.services.map(toService),
          rttMs,
        };
      });
    } catch (error) {
      if (timeout.aborted && !outer.aborted)
        throw new AsmvsError(
          'SCANNER_TIMEOUT',
          `the scan of ${address} did not finish within ${env.hostTimeoutMs} ms`,
          {
            cause: error,
          },
        );
      throw error;
    }
  };
}
