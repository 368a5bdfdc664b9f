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
    return identified(tls ? 'https' : 'http', { product, version, http: result.info, attributes: tls ? { tunnel: 'ssl' } : {} });
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
      return (await readReply(socket, { readTimeoutMs: t.bannerWaitMs, maxBytes: 4096, signal: t.signal, complete: greetingDone })).data;
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

export async function identifyService(t: IdentifyOptions): Promise<Identified> {
  const hint = PORT_HINTS[t.port];
  if (hint && hint !== 'banner') {
    const first = await attempt(t, () => (hint === 'tls' ? viaTls(t) : PLAIN[hint](t)));
    if (first) return first;
  }
  const greeting = await grabBanner(t);
  if (greeting.length > 0) return identifyBanner(greeting) ?? identified('unknown', { banner: bannerText(greeting) });
  if (hint !== 'tls') {
    const tls = await viaTls(t);
    if (tls) return tls;
  }
  for (const name of PLAIN_PROBES) {
    if (name === hint) continue;
    const found = await attempt(t, () => PLAIN[name as keyof typeof PLAIN](t));
    if (found) return found;
  }
  return identified('unknown');
}
