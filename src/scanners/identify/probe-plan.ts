// Which probes a port gets, and in what order, the way nmap orders its service probes (nmap-service-probes:
// each probe lists the `ports` it is likeliest on and a `rarity`, 1 = often useful anywhere … 9 = rarely; at the
// default intensity 7 a probe is sent to other ports only when its rarity is at most 7). The order is what makes a
// silent port cheap: the likeliest probe answers most ports at once, and the rare ones only get what is left of
// the port's budget.
export type ProbeName = 'tls' | 'http' | 'redis' | 'postgresql' | 'amqp' | 'mqtt' | 'kafka' | 'epmd';

export interface ProbeSpec {
  readonly name: ProbeName;
  /** Ports where this is the likeliest probe: sent first, alone, before any greeting wait. */
  readonly ports: readonly number[];
  /** Our rarity on nmap's scale. */
  readonly rarity: number;
}

export const INTENSITY = 7;

/** Ports whose services speak first (SSH, FTP, SMTP, MySQL, NATS): the greeting wait is their likeliest probe. */
export const GREETING_PORTS: readonly number[] = [21, 22, 25, 587, 3306, 4222, 6222];

// Rarity 1: TLS and HTTP are what most unknown ports speak (nmap's SSLSessionReq and GetRequest are rarity 1).
// Rarity 5: the data stores and brokers an attack surface exposes on odd ports, worth one packet on any silent
// port. Rarity 8: epmd, only on its port (nmap: rarity 8, ports 4369).
export const PROBES: readonly ProbeSpec[] = [
  { name: 'tls', rarity: 1, ports: [443, 465, 636, 993, 995, 2376, 5671, 6443, 8443, 8883, 9443] },
  {
    name: 'http',
    rarity: 1,
    ports: [
      80, 81, 2375, 3000, 5000, 5601, 5984, 8000, 8008, 8080, 8081, 8086, 8088, 8222, 8500, 8888, 9000, 9001, 9200,
      15672,
    ],
  },
  { name: 'redis', rarity: 5, ports: [6379] },
  { name: 'postgresql', rarity: 5, ports: [5432, 26257] },
  { name: 'amqp', rarity: 5, ports: [5672] },
  { name: 'mqtt', rarity: 5, ports: [1883] },
  { name: 'kafka', rarity: 5, ports: [9092, 9093, 9094, 29092] },
  { name: 'epmd', rarity: 8, ports: [4369] },
];

export interface ProbePlan {
  /** A port whose service speaks first: the greeting wait goes first and alone, as nmap's NULL probe does. */
  readonly greetingFirst: boolean;
  /** Sent first and alone: the port's likeliest probes. */
  readonly likely: readonly ProbeName[];
  /** Sent beside the greeting wait: rarity 1, unless already tried. */
  readonly common: readonly ProbeName[];
  /** Sent once the greeting wait stayed silent: the rest up to INTENSITY, rarest last. */
  readonly rare: readonly ProbeName[];
}

export function probePlan(port: number): ProbePlan {
  const likely = PROBES.filter((p) => p.ports.includes(port)).map((p) => p.name);
  const rest = PROBES.filter((p) => !likely.includes(p.name) && p.rarity <= INTENSITY).sort(
    (a, b) => a.rarity - b.rarity,
  );
  return {
    greetingFirst: GREETING_PORTS.includes(port),
    likely,
    common: rest.filter((p) => p.rarity === 1).map((p) => p.name),
    rare: rest.filter((p) => p.rarity > 1).map((p) => p.name),
  };
}
