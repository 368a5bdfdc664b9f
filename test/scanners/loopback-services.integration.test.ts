// Must show: scanning 127.0.0.1 finds and names the machine's loopback services (PostgreSQL, Redis, MariaDB,
// RabbitMQ, Mosquitto, NATS, plus Kafka, the registry, epmd and RabbitMQ's Erlang node when they run), every open service is an
// informational entry, the names agree with nmap -sV run in the same test, and Redis and NATS are reported as
// accepting unauthenticated clients. Needs those services and nmap (CI: apt-get install -y nmap).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { getScanner, runScanner } from '../../src/scanners/index.ts';
import { compareServices } from '../../src/scanners/nmap/compare-services.ts';
import { mysqlAcceptsEmptyPassword } from '../../src/scanners/checks/mysql-empty-root.ts';
import { amqpAcceptsCredentials } from '../../src/scanners/checks/amqp-default-credentials.ts';
import { nodeIo } from '../../src/scanners/io/scanner-io.ts';
import { loopbackContext } from '../helpers/scanner-context.ts';

const REQUIRED: Record<number, string> = {
  5432: 'postgresql',
  6379: 'redis',
  3306: 'mysql',
  5672: 'amqp',
  1883: 'mqtt',
  4222: 'nats',
};
// RabbitMQ's epmd and its Erlang node: the node's port is named from epmd's answer (nmap leaves it unknown).
const OPTIONAL: Record<number, string> = { 9092: 'kafka', 8081: 'http', 4369: 'epmd', 25672: 'erlang-node' };

function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect({ host: '127.0.0.1', port });
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

test('loopback services are found, named, checked, and agree with nmap -sV', { timeout: 300_000 }, async () => {
  const optional = [];
  for (const port of Object.keys(OPTIONAL).map(Number)) if (await listening(port)) optional.push(port);
  const ports = [...Object.keys(REQUIRED).map(Number), ...optional];
  const ctx = loopbackContext();

  const ours = await runScanner(getScanner('asmvs-checks'), { target: '127.0.0.1', ports }, ctx);
  const byPort = new Map(ours.services.map((s) => [s.port, s]));
  for (const [port, name] of Object.entries({
    ...REQUIRED,
    ...Object.fromEntries(optional.map((p) => [p, OPTIONAL[p]])),
  })) {
    const s = byPort.get(Number(port));
    assert.ok(s, `port ${port} found`);
    assert.equal(s.service, name, `port ${port}`);
    assert.equal(s.host, '127.0.0.1');
    assert.equal(s.protocol, 'TCP');
  }
  for (const port of [5432, 6379, 3306, 5672, 1883, 4222]) assert.ok(byPort.get(port)?.product, `product on ${port}`);
  for (const port of [6379, 3306, 5672, 1883, 4222]) assert.ok(byPort.get(port)?.version, `version on ${port}`);

  const doc = JSON.parse(ours.payload.toString('utf8')) as {
    services: unknown[];
    checks: { id: string; port: number }[];
  };
  assert.equal(doc.services.length, ports.length, 'every open service is in the document');
  const found = new Set(ours.checks.map((c) => `${c.id}@${c.port}`));
  assert.ok(found.has('redis-unauthenticated@6379'), [...found].join(' '));
  assert.ok(found.has('nats-unauthenticated@4222'), [...found].join(' '));

  // Not the Erlang node's port: nmap leaves it unnamed after two minutes of probes that go unanswered.
  const nmapPorts = ports.filter((p) => p !== 25672);
  const nmap = await runScanner(getScanner('nmap'), { target: '127.0.0.1', ports: nmapPorts }, ctx);
  assert.equal(nmap.format, 'nmap-xml');
  assert.match(nmap.payload.toString('utf8'), /<nmaprun /);
  const table = compareServices(ours.services, nmap.services);
  for (const row of table) {
    if ((row.port in REQUIRED || row.port === 4369) && row.verdict !== 'nmap-unidentified')
      assert.equal(
        row.verdict,
        'agree',
        `${row.port}: ${row.note} ours=${JSON.stringify(row.ours)} nmap=${JSON.stringify(row.nmap)}`,
      );
  }
  assert.ok(table.filter((r) => r.verdict === 'agree').length >= 5);
});

test('login checks do not report success for a wrong login', async () => {
  const t = { io: nodeIo, address: '127.0.0.1', hostname: null, signal: new AbortController().signal, timeoutMs: 3000 };
  assert.equal(await mysqlAcceptsEmptyPassword({ ...t, port: 3306 }, 'asmvs-no-such-user'), false);
  assert.equal(await amqpAcceptsCredentials({ ...t, port: 5672 }, 'guest', 'asmvs-wrong-password'), false);
});
