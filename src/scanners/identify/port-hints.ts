// Which probe to try first on a well-known port. A hint only orders the probes; the answer decides.
export type ProbeName = 'http' | 'tls' | 'redis' | 'postgresql' | 'amqp' | 'mqtt' | 'kafka' | 'banner';

export const PORT_HINTS: Readonly<Record<number, ProbeName>> = {
  21: 'banner', 22: 'banner', 25: 'banner', 587: 'banner', 3306: 'banner', 4222: 'banner', 6222: 'banner', 8222: 'http',
  80: 'http', 81: 'http', 3000: 'http', 5000: 'http', 8000: 'http', 8008: 'http', 8080: 'http', 8081: 'http', 8888: 'http', 9000: 'http', 9001: 'http', 15672: 'http',
  443: 'tls', 465: 'tls', 636: 'tls', 993: 'tls', 995: 'tls', 5671: 'tls', 8443: 'tls', 8883: 'tls', 9443: 'tls',
  6379: 'redis', 5432: 'postgresql', 5672: 'amqp', 1883: 'mqtt', 9092: 'kafka', 9093: 'kafka', 9094: 'kafka', 29092: 'kafka',
};

/** Client-speaks-first probes, tried after the banner wait in this order (the hinted one goes first). */
export const PLAIN_PROBES: readonly ProbeName[] = ['http', 'redis', 'postgresql', 'amqp', 'mqtt', 'kafka'];
