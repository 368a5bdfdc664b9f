import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { compareServices } from '../../../src/scanners/nmap/compare-services.ts';
import { parseNmapXml } from '../../../src/normalizers/formats/nmap/read-nmap-xml.ts';
import { servicesOf } from '../../../src/scanners/nmap/nmap-services-of.ts';
import { serviceAt } from '../../helpers/service.ts';

const nmap = servicesOf(
  parseNmapXml(readFileSync(new URL('../../fixtures/scanners/nmap-sv-loopback.xml', import.meta.url))),
);
const ours = (port: number, service: string | null, product: string | null, version: string | null) =>
  serviceAt(port, { service, product, version });

test('normalises nmap quirks and judges each port', () => {
  const table = compareServices(
    [
      ours(1883, 'mqtt', 'Mosquitto', '2.0.11'),
      ours(3306, 'mysql', 'MariaDB', '10.11.19'),
      ours(4222, 'nats', 'NATS Server', '2.9.10'),
      ours(5432, 'postgresql', 'PostgreSQL', '15.20'),
      ours(5672, 'amqp', 'RabbitMQ', '3.10.8'),
      ours(6379, 'redis', 'Redis', '7.0.15'),
      ours(9092, 'kafka', 'Apache Kafka', null),
    ],
    nmap.filter((s) => [1883, 3306, 4222, 5432, 5672, 6379, 9092].includes(s.port)),
  );
  const verdicts = Object.fromEntries(table.map((c) => [c.port, c.verdict]));
  assert.deepEqual(verdicts, {
    1883: 'agree',
    3306: 'agree',
    4222: 'nmap-unidentified',
    5432: 'agree',
    5672: 'agree',
    6379: 'agree',
    9092: 'nmap-unidentified',
  });
  const wrong = compareServices(
    [ours(6379, 'redis', 'Redis', '6.2.0')],
    nmap.filter((s) => s.port === 6379),
  );
  assert.equal(wrong[0]?.verdict, 'disagree');
  assert.match(wrong[0]?.note ?? '', /version/);
});
