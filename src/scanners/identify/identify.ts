// Names the service on one open port: the hinted probe first (fast path for well-known ports), then a wait for a
// greeting (services that speak first), then TLS, then the client-speaks-first probes. Each probe uses its own
// connection, reads a capped reply and never writes anything that changes state.
import { AsmvsError } from '../../errors.ts';
import { bannerText } from '../escape.ts';
import { readReply } from '../io/exchange.ts';
import { probeAmqp } from './amqp.ts';
import { identifyBanner } from './banner.ts';
import { agentFor, probeHttp } from './http.ts';
import { httpProduct } from './http-product.ts';
import { identified, type Identified, type ProbeTarget } from './identified.ts';
import { probeKafka } from './kafka.ts';
import { probeMqtt } from './mqtt.ts';
import { PLAIN_PROBES, PORT_HINTS, type ProbeName } from './port-hints.ts';
import { probePostgres } from './postgres.ts';
import { probeRedis } from './redis.ts';
import { probeTls } from './tls.ts';

export interface IdentifyOptions extends ProbeTarget {
  /** How long to wait for a service that speaks first. */
  readonly bannerWaitMs: number;
}

async function probeHttpService(t: ProbeTarget, tls: boolean): Promise<Identified | null> {
  const agent = agentFor(t, tls);
  try {
    const result = await probeHttp(t, tls, agent);
    if (!result) return null;
    const { product, version } = httpProduct(result.info.server);
    return identified(tls ? 'https' : 'http', {
      product,
      version,
      http: result.info,
      attributes: tls ? { tunnel: 'ssl' } : {},
    });
  } finally {
    await agent.close().catch(() => undefined);
  }
}

const PLAIN: Record<Exclude<ProbeName, 'tls' | 'banner'>, (t: ProbeTarget) => Promise<Identified | null>> = {
  http: (t) => probeHttpService(t, false),
  redis: probeRedis,
  postgresql: probePostgres,
  amqp: probeAmqp,
  mqtt: probeMqtt,
  kafka: probeKafka,
};

async function attempt<T>(t: ProbeTarget, run: () => Promise<T | null>): Promise<T | null> {
  try {
    return await run();
  } catch {
    if (t.signal.aborted) throw new AsmvsError('ABORTED', `identification of ${t.address}:${t.port} was aborted`);
    return null;
  }
}

async function grabBanner(t: IdentifyOptions): Promise<Buffer> {
  try {
    const socket = await t.io.connect({ address: t.address, port: t.port, timeoutMs: t.timeoutMs, signal: t.signal });
    try {
      const greetingDone = (d: Buffer) => d.includes(0x0a) || (d.length >= 4 && d.length >= 4 + d.readUIntLE(0, 3));
      return (
        await readReply(socket, {
          readTimeoutMs: t.bannerWaitMs,
          maxBytes: 4096,
          signal: t.signal,
          complete: greetingDone,
        })
      ).data;
    } finally {
      socket.destroy();
    }
  } catch {
    return Buffer.alloc(0);
  }
}

async function viaTls(t: ProbeTarget): Promise<Identified | null> {
  const tls = await attempt(t, () => probeTls(t));
  if (!tls) return null;
  const http = await attempt(t, () => probeHttpService(t, true));
  return http ? { ...http, tls } : identified('ssl', { tls, attributes: { tunnel: 'ssl' } });
}

type FirstAnswer =
  { kind: 'banner'; data: Buffer } | { kind: 'probes'; tls: Identified | null; http: Identified | null };

export async function identifyService(t: IdentifyOptions): Promise<Identified> {
  const hint = PORT_HINTS[t.port];
  if (hint && hint !== 'banner') {
    const first = await attempt(t, () => (hint === 'tls' ? viaTls(t) : PLAIN[hint](t)));
    if (first) return first;
  }
  // The greeting wait, TLS and HTTP run side by side: a TLS or HTTP service answers at once and need not sit out
  // the greeting wait; a service that speaks first wins as soon as its greeting arrives.
  const race = new AbortController();
  const sub = { ...t, signal: AbortSignal.any([t.signal, race.signal]) };
  const greeting = grabBanner(sub);
  const tls = hint === 'tls' ? Promise.resolve(null) : viaTls(sub).catch(() => null);
  const http = hint === 'http' ? Promise.resolve(null) : attempt(sub, () => PLAIN.http(sub)).catch(() => null);
  try {
    const first = await Promise.race<FirstAnswer>([
      Promise.all([tls, http]).then(([tlsAnswer, httpAnswer]) => ({
        kind: 'probes',
        tls: tlsAnswer,
        http: httpAnswer,
      })),
      greeting.then((data) => (data.length > 0 ? { kind: 'banner', data } : new Promise<never>(() => undefined))),
    ]);
    if (first.kind === 'banner')
      return identifyBanner(first.data) ?? identified('unknown', { banner: bannerText(first.data) });
    // TLS first: some HTTPS servers answer a plain request with an HTTP 400.
    if (first.tls) return first.tls;
    if (first.http) return first.http;
    const data = await greeting;
    if (data.length > 0) return identifyBanner(data) ?? identified('unknown', { banner: bannerText(data) });
  } finally {
    race.abort();
  }
  if (t.signal.aborted) throw new AsmvsError('ABORTED', `identification of ${t.address}:${t.port} was aborted`);
  // The client-speaks-first probes run side by side (one connection each): a silent service would otherwise cost
  // one full timeout per probe. The first in PLAIN_PROBES order that recognises the service wins.
  const names = PLAIN_PROBES.filter((name) => name !== hint && name !== 'http') as (keyof typeof PLAIN)[];
  const answers = await Promise.all(names.map((name) => attempt(t, () => PLAIN[name](t))));
  return answers.find((a): a is Identified => a !== null) ?? identified('unknown');
}
