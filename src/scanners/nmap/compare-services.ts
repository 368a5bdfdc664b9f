// How our identification compares with nmap -sV on the same ports (the benchmark table and the integration test).
// nmap's oddities are normalised here, at one place: its mqtt-subscribe script renames the service to the broker's
// $SYS version string, "ssl/http" is a tunnel attribute, and method="table" means nmap only guessed from the port.
import type { ServiceResult } from '../scanner.ts';

export type Verdict = 'agree' | 'disagree' | 'nmap-unidentified' | 'both-unidentified';

export interface Comparison {
  readonly port: number;
  readonly ours: { service: string | null; product: string | null; version: string | null };
  readonly nmap: { service: string | null; product: string | null; version: string | null; guessed: boolean };
  readonly verdict: Verdict;
  readonly note: string;
}

const PRODUCT_FAMILY: [RegExp, string][] = [
  [/mariadb|mysql/i, 'mysql'],
  [/postgres/i, 'postgresql'],
  [/redis/i, 'redis'],
  [/rabbitmq/i, 'rabbitmq'],
  [/mosquitto/i, 'mosquitto'],
  [/nats/i, 'nats'],
  [/kafka/i, 'kafka'],
  [/openssh/i, 'openssh'],
  [/nginx/i, 'nginx'],
  [/apache/i, 'apache'],
];

function family(product: string | null): string | null {
  if (!product) return null;
  return PRODUCT_FAMILY.find(([re]) => re.test(product))?.[1] ?? product.toLowerCase();
}

export function normaliseNmap(s: ServiceResult): Comparison['nmap'] {
  const guessed = s.attributes.method === 'table';
  const mosquitto = /^mosquitto version (\S+)/i.exec(s.service ?? '');
  if (mosquitto) return { service: 'mqtt', product: 'mosquitto', version: mosquitto[1] ?? null, guessed };
  const service = s.attributes.tunnel === 'ssl' && s.service === 'http' ? 'https' : s.service;
  return { service: guessed ? null : service, product: s.product, version: s.version, guessed };
}

function numbers(version: string): number[] {
  return (version.match(/\d+/g) ?? []).slice(0, 3).map(Number);
}

function atLeast(ours: string, floor: string): boolean {
  const a = numbers(ours);
  const b = numbers(floor);
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if ((a[i] ?? 0) !== (b[i] ?? 0)) return (a[i] ?? 0) > (b[i] ?? 0);
  }
  return true;
}

/** Equal, or nmap's raw string contains ours (MariaDB's "5.5.5-10.11.19-MariaDB-…"), or ours meets "X or later". */
function versionAgrees(ours: string | null, theirs: string | null): boolean {
  if (theirs === null || ours === null) return true;
  if (theirs === ours || theirs.includes(ours)) return true;
  const floor = /^(\S+) or later$/i.exec(theirs);
  return floor !== null && atLeast(ours, floor[1] ?? '');
}

export function compareServices(ours: readonly ServiceResult[], nmap: readonly ServiceResult[]): Comparison[] {
  const ports = [...new Set([...ours, ...nmap].map((s) => s.port))].sort((a, b) => a - b);
  return ports.map((port) => {
    const o = ours.find((s) => s.port === port);
    const n = nmap.find((s) => s.port === port);
    const mine = { service: o?.service ?? null, product: o?.product ?? null, version: o?.version ?? null };
    const theirs = n ? normaliseNmap(n) : { service: null, product: null, version: null, guessed: false };
    if (theirs.service === null) {
      const verdict: Verdict = mine.service === null ? 'both-unidentified' : 'nmap-unidentified';
      return {
        port,
        ours: mine,
        nmap: theirs,
        verdict,
        note: theirs.guessed ? `nmap only guessed "${n?.service ?? ''}" from its port table` : 'nmap did not name it',
      };
    }
    const sameService = mine.service === theirs.service;
    const sameProduct = family(mine.product) === family(theirs.product) || theirs.product === null;
    const sameVersion = versionAgrees(mine.version, theirs.version);
    const agree = sameService && sameProduct && sameVersion;
    const problems = [!sameService && 'service', !sameProduct && 'product', !sameVersion && 'version']
      .filter(Boolean)
      .join(', ');
    return {
      port,
      ours: mine,
      nmap: theirs,
      verdict: agree ? 'agree' : 'disagree',
      note: agree ? '' : `differs in ${problems}`,
    };
  });
}
