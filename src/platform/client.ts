// The platform API client (undici): one keep-alive pool, per-request timeouts, bounded retries with backoff on
// 5xx, 429 (honouring Retry-After) and connection failures, idempotency keys on writes, the bearer token from
// config (never logged), capped and validated response bodies.
import { Pool } from 'undici';
import { setTimeout as sleep } from 'node:timers/promises';
import type { z } from 'zod';
import { AsmvsError } from '../errors.ts';
import { retryDelayMs, type RetryPolicy } from './retry-policy.ts';
import {
  accepted,
  assetPage,
  discoveryAccepted,
  platformScan,
  type DiscoveryAccepted,
  type PlatformAsset,
  type PlatformScan,
} from './contract.ts';

const MAX_BODY_BYTES = 16 * 1024 * 1024;
const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 4, baseMs: 200, maxMs: 10_000 };

export interface PlatformClientOptions {
  readonly baseUrl: string;
  readonly token?: string;
  readonly timeoutMs: number;
  readonly retry?: RetryPolicy;
  readonly connections?: number;
}

interface Call {
  readonly method: 'GET' | 'POST' | 'PATCH' | 'PUT';
  readonly path: string;
  readonly body?: unknown;
  readonly idempotencyKey?: string;
  readonly signal?: AbortSignal;
}

export type PlatformClient = ReturnType<typeof createPlatformClient>;

export function createPlatformClient(options: PlatformClientOptions) {
  const base = new URL(options.baseUrl);
  const basePath = base.pathname.replace(/\/+$/, '');
  const pool = new Pool(base.origin, { connections: options.connections ?? 16, keepAliveTimeout: 30_000 });
  const retry = options.retry ?? DEFAULT_RETRY;

  async function once(call: Call): Promise<unknown> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (options.token) headers['authorization'] = `Bearer ${options.token}`;
    if (call.idempotencyKey) headers['idempotency-key'] = call.idempotencyKey;
    if (call.body !== undefined) headers['content-type'] = 'application/json';
    const signals = [AbortSignal.timeout(options.timeoutMs), ...(call.signal ? [call.signal] : [])];
    let response;
    try {
      response = await pool.request({
        method: call.method,
        path: basePath + call.path,
        headers,
        body: call.body === undefined ? null : JSON.stringify(call.body),
        headersTimeout: options.timeoutMs,
        bodyTimeout: options.timeoutMs,
        signal: AbortSignal.any(signals),
      });
    } catch (cause) {
      if (call.signal?.aborted) throw new AsmvsError('ABORTED', `${call.method} ${call.path} aborted`, { cause });
      // No answer at all (refused, reset, timed out): the API is unreachable, which a stage waits out.
      throw new AsmvsError('API_UNREACHABLE', `${call.method} ${call.path}: ${(cause as Error).message}`, { cause });
    }
    const text = await readCapped(response.body, call).catch((cause: unknown) => {
      if (cause instanceof AsmvsError) throw cause;
      if (call.signal?.aborted) throw new AsmvsError('ABORTED', `${call.method} ${call.path} aborted`, { cause });
      // The connection failed mid-answer (reset, body timeout): a transport failure like a refused connection.
      throw new AsmvsError('API_UNREACHABLE', `${call.method} ${call.path}: ${(cause as Error).message}`, { cause });
    });
    const status = response.statusCode;
    if (status === 429) {
      throw new AsmvsError('API_RATE_LIMITED', `${call.method} ${call.path}: 429 Too Many Requests`, {
        details: { retryAfter: headerOf(response.headers, 'retry-after') },
      });
    }
    if (status >= 500) {
      throw new AsmvsError('API_UNAVAILABLE', `${call.method} ${call.path}: ${status}`, {
        details: { retryAfter: headerOf(response.headers, 'retry-after') },
      });
    }
    if (status >= 400)
      throw new AsmvsError('API_REJECTED', `${call.method} ${call.path}: ${status} ${text.slice(0, 200)}`);
    if (text === '') return undefined;
    try {
      return JSON.parse(text) as unknown;
    } catch (cause) {
      throw new AsmvsError('API_BAD_RESPONSE', `${call.method} ${call.path}: the body is not JSON`, { cause });
    }
  }

  async function send(call: Call): Promise<unknown> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await once(call);
      } catch (error) {
        const retryable = error instanceof AsmvsError && error.retryable && error.code !== 'ABORTED';
        if (!retryable || attempt >= retry.maxAttempts) throw error;
        const retryAfter = error.details['retryAfter'];
        await sleep(retryDelayMs(retry, attempt, typeof retryAfter === 'string' ? retryAfter : undefined), undefined, {
          signal: call.signal,
        }).catch((cause: unknown) => {
          throw new AsmvsError('ABORTED', `${call.method} ${call.path} aborted while backing off`, { cause });
        });
      }
    }
  }

  async function call<S extends z.ZodType>(schema: S, c: Call): Promise<z.output<S>> {
    const body = await send(c);
    const parsed = schema.safeParse(body);
    if (!parsed.success) {
      const where = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
      throw new AsmvsError('API_BAD_RESPONSE', `${c.method} ${c.path}: unexpected body (${where})`);
    }
    return parsed.data;
  }

  async function* pages(path: string, signal?: AbortSignal): AsyncGenerator<PlatformAsset> {
    let cursor: string | null | undefined;
    do {
      const query = cursor ? `?cursor=${encodeURIComponent(cursor)}` : '';
      const page = await call(assetPage, { method: 'GET', path: `${path}${query}`, signal });
      yield* page.items;
      cursor = page.nextCursor;
    } while (cursor);
  }

  return {
    /** The legacy discovery API (the PLATFORM discovery engine). */
    discover(
      body: { requestId: string; targets: readonly string[]; scope: unknown },
      key: string,
      signal?: AbortSignal,
    ): Promise<DiscoveryAccepted> {
      return call(discoveryAccepted, {
        method: 'POST',
        path: '/api/v1/asm/discover',
        body,
        idempotencyKey: key,
        signal,
      });
    },
    async reportJobStatus(requestId: string, body: unknown, key: string, signal?: AbortSignal): Promise<void> {
      await call(accepted, {
        method: 'PUT',
        path: `/api/v1/jobs/${encodeURIComponent(requestId)}/status`,
        body,
        idempotencyKey: key,
        signal,
      });
    },
    listAsmAssets: (signal?: AbortSignal) => pages('/api/v1/asm/assets', signal),
    listAssets: (signal?: AbortSignal) => pages('/api/v1/assets', signal),
    async patchAsset(id: string, body: unknown, key: string, signal?: AbortSignal): Promise<void> {
      await call(accepted, {
        method: 'PATCH',
        path: `/api/v1/assets/${encodeURIComponent(id)}`,
        body,
        idempotencyKey: key,
        signal,
      });
    },
    createScan(body: unknown, key: string, signal?: AbortSignal): Promise<PlatformScan> {
      return call(platformScan, { method: 'POST', path: '/api/v1/scans', body, idempotencyKey: key, signal });
    },
    getScan(id: string, signal?: AbortSignal): Promise<PlatformScan> {
      return call(platformScan, { method: 'GET', path: `/api/v1/scans/${encodeURIComponent(id)}`, signal });
    },
    async postFindings(findings: readonly unknown[], key: string, signal?: AbortSignal): Promise<void> {
      await call(accepted, {
        method: 'POST',
        path: '/api/v1/vs/findings',
        body: { findings },
        idempotencyKey: key,
        signal,
      });
    },
    /** For logs: where it points, without the token. */
    describe: () => ({ baseUrl: options.baseUrl, token: options.token ? '[redacted]' : undefined }),
    close: () => pool.close(),
  };
}

function headerOf(headers: Record<string, string | string[] | undefined>, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

async function readCapped(body: AsyncIterable<Buffer> & { destroy(): unknown }, call: Call): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) {
      body.destroy();
      throw new AsmvsError('API_BAD_RESPONSE', `${call.method} ${call.path}: body larger than ${MAX_BODY_BYTES} bytes`);
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}
