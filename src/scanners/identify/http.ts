// HTTP(S) through undici, with every connection made by the ScannerIo door to the scope-checked address (the URL's
// host is that address; the name goes only into Host and SNI). Redirects are followed on the same origin only
// (another origin would need its own scope check) and at most MAX_REDIRECTS times; bodies are capped.
import { Agent, request, type Dispatcher } from 'undici';
import type { HttpInfo } from '../../schemas/types.gen.ts';
import { cleanField } from '../escape.ts';
import type { ProbeTarget } from './identified.ts';

export const MAX_REDIRECTS = 5;
export const MAX_BODY_BYTES = 256 * 1024;
const KEPT_HEADERS = [
  'server',
  'x-powered-by',
  'content-type',
  'location',
  'strict-transport-security',
  'content-security-policy',
  'x-content-type-options',
  'x-frame-options',
  'referrer-policy',
  'permissions-policy',
  'www-authenticate',
  'set-cookie',
];

export interface HttpResponse {
  readonly url: string;
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: Buffer;
}

export function agentFor(t: ProbeTarget, tls: boolean): Agent {
  return new Agent({
    connect: (_options, callback) => {
      t.io
        .connect({
          address: t.address,
          port: t.port,
          timeoutMs: t.timeoutMs,
          signal: t.signal,
          ...(tls ? { tls: { servername: t.hostname ?? undefined, ciphers: 'DEFAULT:@SECLEVEL=0' } } : {}),
        })
        .then(
          (socket) => callback(null, socket),
          (error: Error) => callback(error, null),
        );
    },
    connections: 2,
    headersTimeout: t.timeoutMs,
    bodyTimeout: t.timeoutMs,
  });
}

export function baseUrl(t: ProbeTarget, tls: boolean): string {
  const host = t.address.includes(':') ? `[${t.address}]` : t.address;
  return `${tls ? 'https' : 'http'}://${host}:${t.port}`;
}

function headerMap(raw: Dispatcher.ResponseData['headers']): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(raw)) {
    if (value === undefined) continue;
    // undici decodes header bytes as latin1: C1 controls and the like are dropped here, at the door.
    out[name.toLowerCase()] = cleanField(Array.isArray(value) ? value.join(', ') : value, 2048) ?? '';
  }
  return out;
}

/**
 * One GET of `path`, body capped at MAX_BODY_BYTES; no redirect following. The whole exchange gets t.timeoutMs of
 * wall clock: undici's headersTimeout and bodyTimeout restart with every byte, so a server sending a byte a second
 * would hold them open for ever. A body cut off by that deadline is returned as far as it came.
 */
export async function httpGet(t: ProbeTarget, agent: Agent, tls: boolean, path: string): Promise<HttpResponse> {
  const url = `${baseUrl(t, tls)}${path}`;
  const hostHeader = t.hostname ? `${t.hostname}:${t.port}` : undefined;
  const deadline = AbortSignal.timeout(t.timeoutMs);
  const res = await request(url, {
    dispatcher: agent,
    method: 'GET',
    signal: AbortSignal.any([t.signal, deadline]),
    headers: {
      'user-agent': 'asmvs/0.1 (+read-only probe)',
      accept: '*/*',
      ...(hostHeader ? { host: hostHeader } : {}),
    },
  });
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of res.body as AsyncIterable<Buffer>) {
      chunks.push(chunk);
      size += chunk.length;
      if (size >= MAX_BODY_BYTES) break;
    }
  } catch (error) {
    if (!deadline.aborted || t.signal.aborted) throw error;
  } finally {
    res.body.destroy();
  }
  return {
    url,
    status: res.statusCode,
    headers: headerMap(res.headers),
    body: Buffer.concat(chunks).subarray(0, MAX_BODY_BYTES),
  };
}

export function titleOf(body: Buffer): string | null {
  const m = /<title[^>]*>([^<]{0,512})/i.exec(body.subarray(0, 65_536).toString('utf8'));
  return m ? cleanField(m[1]?.replace(/\s+/g, ' '), 256) : null;
}

/** GET / with same-origin redirects followed; returns the final response and the HttpInfo. */
export async function probeHttp(
  t: ProbeTarget,
  tls: boolean,
  agent: Agent,
): Promise<{ info: HttpInfo; response: HttpResponse } | null> {
  const origin = baseUrl(t, tls);
  const redirects: string[] = [];
  let path = '/';
  for (let hop = 0; ; hop++) {
    const response = await httpGet(t, agent, tls, path);
    const location = response.headers.location;
    if (response.status >= 300 && response.status < 400 && location && hop < MAX_REDIRECTS) {
      const next = new URL(location, `${origin}${path}`);
      redirects.push(next.href.slice(0, 2048));
      if (next.origin === origin || (t.hostname && next.host === `${t.hostname}:${t.port}`)) {
        path = `${next.pathname}${next.search}`;
        continue;
      }
    }
    const headers: Record<string, string> = {};
    for (const name of KEPT_HEADERS)
      if (response.headers[name] !== undefined) headers[name] = response.headers[name] ?? '';
    return {
      response,
      info: {
        url: response.url,
        status: response.status,
        title: titleOf(response.body),
        server: cleanField(response.headers.server),
        redirects,
        headers,
      },
    };
  }
}

/** True when the bytes are an HTTP response, for raw probes. */
export function looksLikeHttp(data: Buffer): boolean {
  return /^HTTP\/\d(\.\d)? \d{3}/.test(data.subarray(0, 16).toString('latin1'));
}
