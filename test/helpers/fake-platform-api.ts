// A contract-faithful fake of the platform API (the one boundary asmvs does not own), on a random loopback port.
// It keeps what it is sent, honours idempotency keys, requires the bearer token, and can misbehave on demand:
// fail with a status N times (with Retry-After), stall, or answer with a malformed body.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Fault {
  readonly match: RegExp;
  status?: number;
  times: number;
  retryAfter?: string;
  stallMs?: number;
  malformed?: boolean;
}

export interface FakeScan {
  id: string;
  status: 'queued' | 'running' | 'completed' | 'failed';
  pollsUntilDone: number;
  format: string;
  report: string;
  request: unknown;
}

export interface FakePlatform {
  readonly url: string;
  readonly requests: { method: string; path: string; idempotencyKey?: string; authorization?: string }[];
  readonly scans: Map<string, FakeScan>;
  readonly findings: unknown[];
  readonly patches: Map<string, unknown>;
  readonly jobStatuses: unknown[];
  assets: { id: string; kind: string; value: string }[];
  /** How a new scan behaves: polls before completion (Infinity: never completes) and its report. */
  scanBehaviour: { pollsUntilDone: number; format: string; report: string };
  fault(fault: Fault): void;
  close(): Promise<void>;
}

export async function startFakePlatform(options: { token?: string; pageSize?: number } = {}): Promise<FakePlatform> {
  const faults: Fault[] = [];
  const idempotent = new Map<string, { status: number; body: string }>();
  const pageSize = options.pageSize ?? 2;
  let nextScan = 1;

  const state = {
    requests: [] as FakePlatform['requests'],
    scans: new Map<string, FakeScan>(),
    findings: [] as unknown[],
    patches: new Map<string, unknown>(),
    jobStatuses: [] as unknown[],
    assets: [] as FakePlatform['assets'],
    scanBehaviour: { pollsUntilDone: 1, format: 'asmvs-checks-json', report: '{"checks":[]}' },
  };

  const routes: [string, RegExp, (m: RegExpMatchArray, body: unknown, url: URL) => [number, unknown]][] = [
    [
      'POST',
      /^\/api\/v1\/asm\/discover$/,
      (_m, body) => [
        202,
        {
          id: `disc-${state.requests.length}`,
          assets: ((body as { targets?: string[] }).targets ?? []).map((t) => ({ kind: 'IP', value: t })),
        },
      ],
    ],
    ['PUT', /^\/api\/v1\/jobs\/([^/]+)\/status$/, (_m, body) => (state.jobStatuses.push(body), [200, {}])],
    [
      'GET',
      /^\/api\/v1\/(asm\/)?assets$/,
      (_m, _b, url) => {
        const start = Number(url.searchParams.get('cursor') ?? 0);
        const items = state.assets.slice(start, start + pageSize);
        return [200, { items, nextCursor: start + pageSize < state.assets.length ? String(start + pageSize) : null }];
      },
    ],
    [
      'PATCH',
      /^\/api\/v1\/assets\/([^/]+)$/,
      (m, body) => (state.patches.set(decodeURIComponent(m[1] ?? ''), body), [200, {}]),
    ],
    [
      'POST',
      /^\/api\/v1\/scans$/,
      (_m, body) => {
        const id = `scan-${nextScan++}`;
        const { pollsUntilDone, format, report } = state.scanBehaviour;
        state.scans.set(id, { id, status: 'queued', pollsUntilDone, format, report, request: body });
        return [201, { id, status: 'queued' }];
      },
    ],
    [
      'GET',
      /^\/api\/v1\/scans\/([^/]+)$/,
      (m) => {
        const scan = state.scans.get(decodeURIComponent(m[1] ?? ''));
        if (!scan) return [404, { error: 'no such scan' }];
        scan.pollsUntilDone -= 1;
        if (scan.pollsUntilDone > 0) return [200, { id: scan.id, status: 'running' }];
        scan.status = 'completed';
        return [
          200,
          {
            id: scan.id,
            status: 'completed',
            scanner: { name: 'platform', version: '1' },
            format: scan.format,
            report: Buffer.from(scan.report).toString('base64'),
          },
        ];
      },
    ],
    [
      'POST',
      /^\/api\/v1\/vs\/findings$/,
      (_m, body) => (state.findings.push(...((body as { findings?: unknown[] }).findings ?? [])), [202, {}]),
    ],
  ];

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://fake');
    const idempotencyKey = req.headers['idempotency-key'] as string | undefined;
    state.requests.push({
      method: req.method ?? '',
      path: url.pathname,
      idempotencyKey,
      authorization: req.headers.authorization,
    });
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const reply = (status: number, body: string, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(body);
    };
    const fault = faults.find((f) => f.times > 0 && f.match.test(`${req.method} ${url.pathname}`));
    if (fault) {
      fault.times -= 1;
      if (fault.stallMs) await new Promise((r) => setTimeout(r, fault.stallMs));
      if (fault.malformed) return reply(200, '{"id": "truncated');
      if (fault.status)
        return reply(fault.status, '{"error":"injected"}', fault.retryAfter ? { 'retry-after': fault.retryAfter } : {});
    }
    if (options.token && req.headers.authorization !== `Bearer ${options.token}`)
      return reply(401, '{"error":"unauthorized"}');
    const cacheKey = idempotencyKey && `${req.method} ${url.pathname} ${idempotencyKey}`;
    const cached = cacheKey ? idempotent.get(cacheKey) : undefined;
    if (cached) return reply(cached.status, cached.body);
    for (const [method, pattern, fn] of routes) {
      const m = url.pathname.match(pattern);
      if (method !== req.method || !m) continue;
      const body = chunks.length ? (JSON.parse(Buffer.concat(chunks).toString()) as unknown) : undefined;
      const [status, out] = fn(m, body, url);
      const text = JSON.stringify(out);
      if (cacheKey) idempotent.set(cacheKey, { status, body: text });
      return reply(status, text);
    }
    reply(404, '{"error":"no route"}');
  };

  const server = createServer((req, res) => void handle(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(state, {
    url: `http://127.0.0.1:${port}`,
    fault: (f: Fault) => void faults.push(f),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  });
}
