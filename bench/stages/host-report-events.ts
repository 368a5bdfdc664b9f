// Raw findings shaped like a real scan of one server by the built-in scanners: an asmvs-checks/1 report (the
// layout of test/fixtures/reports/asmvs-checks.json) with `services` open ports and `checks` positive checks, on a
// distinct host per event, so every event normalizes to services + checks distinct findings (and one scan summary).
import type { RawFinding } from '../../src/schemas/types.gen.ts';
import { rawEvent } from './raw-events.ts';

const PORTS = [22, 25, 53, 80, 110, 143, 443, 465, 587, 993, 995, 1883, 2379, 3306, 4222, 5432, 5672, 6379, 8080, 8443];
const CHECKS = [
  { id: 'redis-unauthenticated', title: 'Redis accepts commands without authentication', port: 6379, service: 'redis' },
  { id: 'tls-certificate-expired', title: 'The TLS certificate has expired', port: 443, service: 'https' },
  { id: 'mqtt-anonymous', title: 'MQTT broker accepts anonymous clients', port: 1883, service: 'mqtt' },
  { id: 'etcd-unauthenticated', title: 'etcd answers without authentication', port: 2379, service: 'etcd' },
  { id: 'nats-no-auth', title: 'NATS accepts clients without authentication', port: 4222, service: 'nats' },
];

export function hostReportRawEvent(i: number, services = 16, checks = 4): RawFinding {
  const host = `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;
  const payload = JSON.stringify({
    schema: 'asmvs-checks/1',
    scanner: { name: 'asmvs-checks', version: '0.1.0' },
    target: host,
    complete: true,
    truncated: false,
    hosts: [{ address: host, hostname: null, portsScanned: 1000, openPorts: PORTS.slice(0, services) }],
    services: Array.from({ length: services }, (_, s) => {
      const port = PORTS[s % PORTS.length]! + 10_000 * Math.floor(s / PORTS.length);
      const web = port === 80 || port === 443 || port === 8080 || port === 8443;
      return {
        host,
        hostname: null,
        port,
        protocol: 'TCP',
        state: 'open',
        service: web ? 'http' : `svc-${port}`,
        product: 'Product',
        version: `1.${s}`,
        banner: web ? null : `220 ${host} service ready`,
        tls: null,
        http: web ? { url: `http://${host}:${port}/`, status: 200, title: null, server: 'nginx', redirects: [] } : null,
        attributes: {},
      };
    }),
    checks: Array.from({ length: checks }, (_, c) => {
      const check = CHECKS[c % CHECKS.length]!;
      return {
        id: c < CHECKS.length ? check.id : `${check.id}-${c}`,
        title: check.title,
        severity: 'high',
        type: 'EXPOSURE',
        host,
        hostname: null,
        port: check.port,
        protocol: 'tcp',
        service: check.service,
        evidence: 'answered without credentials',
        references: ['https://example.org/advisory'],
      };
    }),
  });
  return rawEvent(`host-${i}`, `scan-${i}`, `asset-${i}`, host, payload);
}
