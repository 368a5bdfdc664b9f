// Golden bytes for each protocol parser (shapes taken from the loopback services and the protocol specs).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { identifyBanner } from '../../../src/scanners/identify/banner.ts';
import { parseRedisReply } from '../../../src/scanners/identify/redis.ts';
import { parseStartupReply } from '../../../src/scanners/identify/postgres.ts';
import { amqpIdentified } from '../../../src/scanners/identify/amqp.ts';
import { longString, methodFrame, shortString } from '../../../src/scanners/identify/amqp-frame.ts';
import { apiVersionsRequest, parseApiVersions } from '../../../src/scanners/identify/kafka.ts';
import { connectPacket, readPackets } from '../../../src/scanners/identify/mqtt-packets.ts';
import { parseBrokerVersion } from '../../../src/scanners/identify/mqtt.ts';
import { httpProduct } from '../../../src/scanners/identify/http-product.ts';

function mysqlGreeting(version: string): Buffer {
  const payload = Buffer.concat([
    Buffer.from([0x0a]),
    Buffer.from(`${version}\0`),
    Buffer.from([1, 0, 0, 0]),
    Buffer.alloc(8, 0x41),
    Buffer.from([0]),
    Buffer.from([0xff, 0xf7]),
    Buffer.from([0x21]),
    Buffer.from([2, 0]),
    Buffer.from([0xff, 0x81]),
    Buffer.from([21]),
    Buffer.alloc(10),
    Buffer.alloc(12, 0x42),
    Buffer.from([0]),
    Buffer.from('mysql_native_password\0'),
  ]);
  const head = Buffer.alloc(4);
  head.writeUIntLE(payload.length, 0, 3);
  return Buffer.concat([head, payload]);
}

test('SSH, SMTP, FTP and NATS greetings', () => {
  const ssh = identifyBanner(Buffer.from('SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3\r\n'));
  assert.deepEqual(
    [ssh?.service, ssh?.product, ssh?.version, ssh?.attributes.extrainfo],
    ['ssh', 'OpenSSH', '9.2p1', 'Debian-2+deb12u3'],
  );
  const smtp = identifyBanner(Buffer.from('220 mail.example ESMTP Exim 4.96 Mon, 01 Jan 2024\r\n'));
  assert.deepEqual([smtp?.service, smtp?.product, smtp?.version], ['smtp', 'Exim smtpd', '4.96']);
  assert.equal(identifyBanner(Buffer.from('220 (vsFTPd 3.0.3)\r\n'))?.version, '3.0.3');
  const nats = identifyBanner(
    Buffer.from('INFO {"server_id":"X","server_name":"n1","version":"2.9.10","auth_required":false} \r\n'),
  );
  assert.deepEqual([nats?.service, nats?.version, nats?.attributes.auth_required], ['nats', '2.9.10', 'false']);
  assert.equal(identifyBanner(Buffer.from('INFO {not json')), null);
});

test('MySQL and MariaDB handshakes', () => {
  const maria = identifyBanner(mysqlGreeting('5.5.5-10.11.19-MariaDB-0+deb12u1'));
  assert.deepEqual(
    [maria?.service, maria?.product, maria?.version, maria?.attributes.auth_plugin],
    ['mysql', 'MariaDB', '10.11.19', 'mysql_native_password'],
  );
  const mysql = identifyBanner(mysqlGreeting('8.0.36'));
  assert.deepEqual([mysql?.product, mysql?.version], ['MySQL', '8.0.36']);
});

test('Redis replies', () => {
  const open = parseRedisReply(Buffer.from('+PONG\r\n$40\r\n# Server\r\nredis_version:7.0.15\r\nredis_mode:x\r\n\r\n'));
  assert.deepEqual([open?.service, open?.version, open?.attributes.auth], ['redis', '7.0.15', 'none']);
  assert.equal(parseRedisReply(Buffer.from('-NOAUTH Authentication required.\r\n'))?.attributes.auth, 'required');
  assert.equal(parseRedisReply(Buffer.from('HTTP/1.1 200 OK\r\n')), null);
});

test('PostgreSQL startup replies', () => {
  const msg = (type: string, body: Buffer) => {
    const head = Buffer.alloc(5);
    head.write(type, 0, 'latin1');
    head.writeInt32BE(body.length + 4, 1);
    return Buffer.concat([head, body]);
  };
  const int = (n: number) => {
    const b = Buffer.alloc(4);
    b.writeInt32BE(n, 0);
    return b;
  };
  const trust = Buffer.concat([
    msg('R', int(0)),
    msg('S', Buffer.from('server_version\x0015.20 (Debian 15.20-0+deb12u1)\0')),
    msg('Z', Buffer.from('I')),
  ]);
  assert.deepEqual(parseStartupReply(trust), {
    auth: 'none',
    serverVersion: '15.20 (Debian 15.20-0+deb12u1)',
    error: null,
  });
  assert.equal(parseStartupReply(msg('R', int(10)))?.auth, 'sasl');
  assert.match(parseStartupReply(msg('E', Buffer.from('SFATAL\0Mno pg_hba.conf entry\0\0')))?.error ?? '', /pg_hba/);
});

test('AMQP Connection.Start carries product and version', () => {
  const entry = (name: string, value: string) =>
    Buffer.concat([shortString(name), Buffer.from('S'), longString(Buffer.from(value))]);
  const table = Buffer.concat([
    entry('product', 'RabbitMQ'),
    entry('version', '3.10.8'),
    shortString('capabilities'),
    Buffer.from('F'),
    longString(Buffer.alloc(0)),
  ]);
  const args = Buffer.concat([
    Buffer.from([0, 9]),
    longString(table),
    longString(Buffer.from('PLAIN AMQPLAIN')),
    longString(Buffer.from('en_US')),
  ]);
  const id = amqpIdentified(methodFrame(10, 10, args));
  assert.deepEqual(
    [id?.service, id?.product, id?.version, id?.attributes.mechanisms],
    ['amqp', 'RabbitMQ', '3.10.8', 'PLAIN AMQPLAIN'],
  );
  assert.equal(amqpIdentified(Buffer.from('AMQP\x00\x00\x09\x01', 'latin1'))?.service, 'amqp');
});

test('Kafka ApiVersions and MQTT packets', () => {
  const req = apiVersionsRequest();
  assert.equal(req.readInt32BE(0), req.length - 4);
  const res = Buffer.alloc(14);
  res.writeInt32BE(10, 0);
  res.writeInt32BE(req.readInt32BE(8), 4);
  res.writeInt16BE(0, 8);
  res.writeInt32BE(0, 10);
  assert.equal(parseApiVersions(res)?.service, 'kafka');
  res.writeInt32BE(1, 4);
  assert.equal(parseApiVersions(res), null);
  const connect = connectPacket('asmvs-test');
  assert.deepEqual(
    readPackets(connect).map((p) => p.type),
    [1],
  );
  assert.deepEqual(readPackets(Buffer.from([0x20, 0x02, 0x00, 0x00])), [
    { type: 2, flags: 0, body: Buffer.from([0, 0]) },
  ]);
  assert.deepEqual(parseBrokerVersion('mosquitto version 2.0.11'), { product: 'Mosquitto', version: '2.0.11' });
});

test('HTTP Server headers', () => {
  assert.deepEqual(httpProduct('Apache/2.4.57 (Debian)'), { product: 'Apache httpd', version: '2.4.57' });
  assert.deepEqual(httpProduct('nginx'), { product: 'nginx', version: null });
  assert.deepEqual(httpProduct(null), { product: null, version: null });
});
