// Listeners on loopback that stand in for everything a command could reach — Kafka and PostgreSQL (TCP), the
// schema registry, the platform API and the trace exporter (HTTP), DNS (UDP) — and record every connection, request
// and query. A door
// that refuses must leave all three lists empty.
import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { dnsServer } from './dns-server.ts';

export interface SpyEndpoints {
  /** Settings that point every client at the spies. */
  readonly env: Readonly<Record<string, string>>;
  readonly tcp: string[];
  readonly http: string[];
  readonly dns: string[];
  /** Everything seen, for one assertion. */
  seen(): string[];
  /** Settles at the next connection or request (not DNS), so that a door that sends does not hang the test. */
  contact(): Promise<string>;
  close(): Promise<void>;
}

export async function spyEndpoints(): Promise<SpyEndpoints> {
  const tcp: string[] = [];
  const requests: string[] = [];
  let waiters: ((what: string) => void)[] = [];
  const record = (list: string[], what: string) => {
    list.push(what);
    for (const wake of waiters) wake(what);
    waiters = [];
  };
  const tcpServer = net.createServer((socket) => {
    record(tcp, `connect from ${socket.remotePort}`);
    socket.destroy();
  });
  const httpServer = http.createServer((req, res) => {
    record(requests, `${req.method} ${req.url}`);
    res.writeHead(503).end();
  });
  await new Promise<void>((resolve) => tcpServer.listen(0, '127.0.0.1', resolve));
  await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve));
  const dns = await dnsServer([]);
  const tcpPort = (tcpServer.address() as AddressInfo).port;
  const httpPort = (httpServer.address() as AddressInfo).port;
  return {
    env: {
      KAFKA_BROKERS: `127.0.0.1:${tcpPort}`,
      SCHEMA_REGISTRY_URL: `http://127.0.0.1:${httpPort}/apis/ccompat/v7`,
      API_BASE_URL: `http://127.0.0.1:${httpPort}/api`,
      API_TOKEN: 'spy-token',
      DATABASE_URL: `postgres://spy@127.0.0.1:${tcpPort}/spy`,
      OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${httpPort}/otlp`,
      DNS_RESOLVER: dns.server,
      LOG_LEVEL: 'silent',
    },
    tcp,
    http: requests,
    dns: dns.queries,
    contact: () => new Promise((resolve) => waiters.push(resolve)),
    seen: () => [
      ...tcp.map((t) => `tcp ${t}`),
      ...requests.map((r) => `http ${r}`),
      ...dns.queries.map((q) => `dns ${q}`),
    ],
    async close() {
      dns.close();
      httpServer.closeAllConnections();
      await new Promise((resolve) => httpServer.close(resolve));
      await new Promise((resolve) => tcpServer.close(resolve));
    },
  };
}
