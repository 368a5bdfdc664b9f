// /metrics, /healthz and /readyz, on 127.0.0.1 unless METRICS_HOST says otherwise (the image listens on 0.0.0.0 so
// that Kubernetes probes and Prometheus, which connect to the pod's address, reach it). Port 0 in config means off;
// tests pass `{ port: 0, ephemeral: true }` to get an ephemeral port.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type client from 'prom-client';

export interface Health {
  /** The process works (the runner has not crashed). */
  live(): boolean;
  /** The process does useful work now (joined its group, has its producer). */
  ready(): boolean;
}

export interface ObservabilityServer {
  readonly port: number;
  close(): Promise<void>;
}

export async function startObservabilityServer(options: {
  port: number;
  /** Default 127.0.0.1. */
  host?: string;
  registry: client.Registry;
  health: Health;
  /** Listen on an ephemeral port when port is 0 (tests); otherwise port 0 means no server. */
  ephemeral?: boolean;
}): Promise<ObservabilityServer | undefined> {
  if (options.port === 0 && !options.ephemeral) return undefined;
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    const answer = (status: number, body: string, type = 'text/plain; charset=utf-8') => {
      res.writeHead(status, { 'content-type': type });
      res.end(body);
    };
    if (req.method !== 'GET' && req.method !== 'HEAD') return answer(405, 'method not allowed\n');
    if (path === '/healthz') return options.health.live() ? answer(200, 'ok\n') : answer(503, 'not live\n');
    if (path === '/readyz') return options.health.ready() ? answer(200, 'ready\n') : answer(503, 'not ready\n');
    if (path === '/metrics') {
      options.registry.metrics().then(
        (text) => answer(200, text, options.registry.contentType),
        (error: unknown) => answer(500, `metrics failed: ${String(error)}\n`),
      );
      return;
    }
    answer(404, 'not found\n');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '127.0.0.1', () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
