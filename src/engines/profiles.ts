// Scan profiles: which ports a request looks at when it names none. nmap's top-N lists rank ports by how often
// they are open on the internet at large, which leaves out much of what an attack surface exposes by mistake
// (Redis, NATS, MQTT, AMQP, Kafka, Elasticsearch, etcd, Docker …): the profiles add those.
import { AsmvsError } from '../errors.ts';
import { parsePorts } from '../scanners/scope/ports.ts';

/** Data stores, brokers and admin endpoints that are commonly exposed by accident. */
export const ATTACK_SURFACE_PORTS: readonly number[] = [
  1433, 1521, 1883, 2375, 2376, 2379, 3000, 4222, 4369, 5000, 5601, 5672, 5984, 6222, 6379, 6443, 7000, 8086, 8088,
  8222, 8500, 8883, 9000, 9042, 9090, 9092, 9093, 9200, 9300, 10250, 11211, 15672, 25672, 26257, 27017, 28015, 61616,
];

const PROFILE_BASE: Readonly<Record<string, string>> = {
  fast: 'top-100',
  default: 'top-1000',
  full: 'all',
};

export const PROFILES = Object.keys(PROFILE_BASE);

const expanded = new Map<string, readonly number[]>();

/**
 * A profile's ports, valid and without duplicates. Built once per profile: host_scan asks for every address of a
 * range, silent ones included (the full profile is 65,535 ports).
 */
export function profilePorts(profile: string): readonly number[] {
  let ports = expanded.get(profile);
  if (ports) return ports;
  const base = PROFILE_BASE[profile];
  if (!base)
    throw new AsmvsError(
      'USAGE',
      `unknown profile ${JSON.stringify(profile.slice(0, 40))} (known: ${PROFILES.join(', ')})`,
    );
  ports = Object.freeze([...new Set([...parsePorts(base), ...ATTACK_SURFACE_PORTS])]);
  expanded.set(profile, ports);
  return ports;
}
