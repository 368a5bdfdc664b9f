// Names the service on one open port, probing in nmap's order (probe-plan.ts): the port's likeliest probe first and
// alone; then the greeting wait (nmap's NULL probe) beside TLS and HTTP; once the greeting wait has stayed silent,
// the rarer probes, each given only a short reply wait. Every probe uses its own connection, reads a capped reply
// and writes nothing that changes state; the whole port runs under one wall-clock budget.
//
// What a silent port costs: max(timeoutMs, bannerWaitMs + silentReplyMs) — 3 s with the defaults, 1 s more on a
// port with a likeliest probe — not one timeout per probe. A port that keeps answering slowly costs at most budgetMs.
import { setTimeout as sleep } from 'node:timers/promises';
import { AsmvsError } from '../../errors.ts';
import { bannerText } from '../escape.ts';
import { readReply } from '../io/exchange.ts';
import { probeAmqp } from './amqp.ts';
import { identifyBanner } from './banner.ts';
import { probeEpmd } from './epmd.ts';
import { confirmErlangNode } from './erlang-node.ts';
import { agentFor, probeHttp } from './http.ts';
import { httpProduct } from './http-product.ts';
import { identified, type Identified, type ProbeTarget } from './identified.ts';
import { probeKafka } from './kafka.ts';
import { probeMqtt } from './mqtt.ts';
import { probePlan, type ProbeName } from './probe-plan.ts';
import { probePostgres } from './postgres.ts';
import { probeRedis } from './redis.ts';
import { probeTls } from './tls.ts';

export interface IdentifyOptions extends ProbeTarget {
  /** How long to wait for a service that speaks first (nmap's NULL probe waits 6 s). */
  readonly bannerWaitMs: number;
  /** Reply wait of the rarer probes, sent once the port has stayed silent; default min(timeoutMs, 1000). */
  readonly silentReplyMs?: number;
  /** Wall clock for the whole port, every probe included; default bannerWaitMs + 2 × timeoutMs. */
  readonly budgetMs?: number;
  /** The Erlang node that epmd announced on this port, if any. */
  readonly erlangNode?: string;
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

async function viaTls(t: ProbeTarget): Promise<Identified | null> {
  const tls = await quietly(() => probeTls(t));
  if (!tls) return null;
  const http = await quietly(() => probeHttpService(t, true));
  return http ? { ...http, tls } : identified('ssl', { tls, attributes: { tunnel: 'ssl' } });
}

const PROBES: Record<ProbeName, (t: ProbeTarget) => Promise<Identified | null>> = {
  tls: viaTls,
  http: (t) => probeHttpService(t, false),
  redis: probeRedis,
  postgresql: probePostgres,
  amqp: probeAmqp,
  mqtt: probeMqtt,
  kafka: probeKafka,
  epmd: probeEpmd,
};

/** A failed probe (refused, reset, timed out, garbage) simply learned nothing. */
async function quietly<T>(run: () => Promise<T | null>): Promise<T | null> {
  try {
    return await run();
  } catch {
    return null;
  }
}

/** The first non-null value in time, or null once every promise has settled without one. */
function firstFound<T>(promises: readonly Promise<T | null>[]): Promise<T | null> {
  return new Promise((resolve) => {
    let pending = promises.length;
    if (pending === 0) resolve(null);
    for (const p of promises)
      void p.then((value) => {
        if (value !== null) resolve(value);
        else if (--pending === 0) resolve(null);
      });
  });
}

/** Several probes at once; the first in `names` order that names the service wins, once the earlier ones failed. */
async function inOrder(t: ProbeTarget, names: readonly ProbeName[]): Promise<Identified | null> {
  const answers = await Promise.all(names.map((name) => quietly(() => PROBES[name](t))));
  return answers.find((a): a is Identified => a !== null) ?? null;
}

async function grabBanner(t: ProbeTarget, waitMs: number): Promise<Buffer> {
  const socket = await t.io.connect({ address: t.address, port: t.port, timeoutMs: t.timeoutMs, signal: t.signal });
  try {
    const greetingDone = (d: Buffer) => d.includes(0x0a) || (d.length >= 4 && d.length >= 4 + d.readUIntLE(0, 3));
    return (
      await readReply(socket, { readTimeoutMs: waitMs, maxBytes: 4096, signal: t.signal, complete: greetingDone })
    ).data;
  } finally {
    socket.destroy();
  }
}

function fromGreeting(data: Buffer): Identified | null {
  return data.length === 0 ? null : (identifyBanner(data) ?? identified('unknown', { banner: bannerText(data) }));
}

async function probeInOrder(t: IdentifyOptions): Promise<Identified | null> {
  if (t.erlangNode !== undefined) {
    const node = await quietly(() => confirmErlangNode(t, t.erlangNode ?? ''));
    if (node) return node;
  }
  const plan = probePlan(t.port);
  const silentReplyMs = t.silentReplyMs ?? Math.min(t.timeoutMs, 1000);
  // The likeliest probe goes first and alone. A service of that kind answers it within silentReplyMs; only a port
  // that has not answered by then gets the other probes, beside it (it may still answer, and then it wins).
  const likely = plan.likely.length > 0 ? inOrder(t, plan.likely) : Promise.resolve(null);
  const early = await Promise.race([likely, sleep(silentReplyMs, null, { signal: t.signal }).catch(() => null)]);
  if (early) return early;

  const greeting = quietly(() => grabBanner(t, t.bannerWaitMs)).then((d) => d ?? Buffer.alloc(0));
  if (plan.greetingFirst) {
    const answer = fromGreeting(await greeting);
    if (answer) return answer;
  }
  // HTTP only once the likeliest probe has failed, and TLS before HTTP: some HTTPS servers answer a plain request
  // with an HTTP 400.
  const common = Promise.all([likely, inOrder(t, plan.common)]).then(([first, other]) => first ?? other);
  const rare = greeting.then((data) =>
    data.length > 0 || plan.rare.length === 0
      ? null
      : firstFound(plan.rare.map((name) => quietly(() => PROBES[name]({ ...t, timeoutMs: silentReplyMs })))),
  );
  return firstFound([likely, greeting.then(fromGreeting), common, rare]);
}

// Probes end soon after the signal aborts (their sockets are destroyed) and may still report what they learned (a
// certificate without its HTTP answer); past this grace the port is given up, so the budget holds whatever a probe
// does.
const ABORT_GRACE_MS = 250;

function afterAbort(signal: AbortSignal): Promise<null> {
  return new Promise((resolve) => {
    const later = () => setTimeout(() => resolve(null), ABORT_GRACE_MS).unref();
    if (signal.aborted) later();
    else signal.addEventListener('abort', later, { once: true });
  });
}

export async function identifyService(o: IdentifyOptions): Promise<Identified> {
  const budgetMs = o.budgetMs ?? o.bannerWaitMs + 2 * o.timeoutMs;
  // One signal for the port: the caller's, the budget, and the end of the race (the losers are cut off).
  const done = new AbortController();
  const signal = AbortSignal.any([o.signal, AbortSignal.timeout(budgetMs), done.signal]);
  try {
    const answer = await Promise.race([probeInOrder({ ...o, signal }), afterAbort(signal)]);
    if (o.signal.aborted) throw new AsmvsError('ABORTED', `identification of ${o.address}:${o.port} was aborted`);
    return answer ?? identified('unknown');
  } finally {
    done.abort();
  }
}
