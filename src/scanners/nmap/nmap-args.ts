// nmap's argument array, built from validated values only. Targets are canonical IP addresses that passed the
// scope check (never a name, never text starting with "-"); scripts come from an allow-list of local, safe scripts.
import net from 'node:net';
import { AsmvsError } from '../../errors.ts';
import { formatPorts } from '../../port-ranges.ts';

/** Read-only NSE scripts in nmap's "safe"/"version"/"discovery" categories. */
export const ALLOWED_SCRIPTS = [
  'banner',
  'ssl-cert',
  'ssl-enum-ciphers',
  'http-title',
  'http-headers',
  'http-server-header',
  'http-security-headers',
  'ssh-hostkey',
  'ssh2-enum-algos',
  'redis-info',
  'mqtt-subscribe',
  'mysql-info',
  'amqp-info',
  'smtp-commands',
  'http-git',
] as const;
export type NmapScript = (typeof ALLOWED_SCRIPTS)[number];

export interface NmapArgsOptions {
  readonly addresses: readonly string[];
  readonly ports: readonly number[] | null;
  readonly serviceVersion: boolean;
  readonly scripts: readonly string[];
  /** nmap's --host-timeout, so it stops on its own before we kill it. */
  readonly hostTimeoutMs?: number;
}

export function buildNmapArgs(o: NmapArgsOptions): string[] {
  if (o.addresses.length === 0) throw new AsmvsError('TARGET_INVALID', 'nmap needs at least one address');
  for (const a of o.addresses) {
    if (net.isIP(a) === 0 || a.startsWith('-'))
      throw new AsmvsError(
        'TARGET_INVALID',
        `nmap target ${JSON.stringify(a.slice(0, 60))} is not a scope-checked address`,
      );
  }
  for (const s of o.scripts) {
    if (!(ALLOWED_SCRIPTS as readonly string[]).includes(s))
      throw new AsmvsError('TARGET_INVALID', `nmap script ${JSON.stringify(s.slice(0, 60))} is not on the allow-list`);
  }
  if (o.ports) {
    for (const p of o.ports)
      if (!Number.isInteger(p) || p < 1 || p > 65535)
        throw new AsmvsError('TARGET_INVALID', `port ${p} is outside 1-65535`);
  }
  const args = ['-sT', '-Pn', '-n', '--noninteractive', '-oX', '-'];
  if (o.ports) args.push('-p', formatPorts(o.ports));
  if (o.serviceVersion) args.push('-sV');
  if (o.scripts.length > 0) args.push('--script', o.scripts.join(','));
  if (o.hostTimeoutMs) args.push('--host-timeout', `${Math.max(1, Math.ceil(o.hostTimeoutMs / 1000))}s`);
  if (o.addresses.some((a) => net.isIPv6(a))) {
    if (o.addresses.some((a) => net.isIPv4(a)))
      throw new AsmvsError('TARGET_INVALID', 'nmap cannot scan IPv4 and IPv6 addresses in one run');
    args.push('-6');
  }
  args.push(...o.addresses);
  return args;
}
