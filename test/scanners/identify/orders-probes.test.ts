// Probes go out in nmap's order: the port's likeliest first, then the greeting wait beside TLS and HTTP, then the
// rarer ones once the port stayed silent; a silent port ends within its budget; epmd is named, and the Erlang
// nodes it announces are confirmed with one handshake instead of a silent-port wait.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { announcedNodes, epmdIdentified, parseEpmdNames } from '../../../src/scanners/identify/epmd.ts';
import { parseStatus, sendName } from '../../../src/scanners/identify/erlang-node.ts';
import { identifyService } from '../../../src/scanners/identify/identify.ts';
import { probePlan } from '../../../src/scanners/identify/probe-plan.ts';
import { nodeIo } from '../../../src/scanners/io/scanner-io.ts';
import { recordingServer } from '../../helpers/recording-server.ts';
import { tcpServer } from '../../helpers/servers.ts';

test('each port gets its likeliest probe first, TLS and HTTP beside the greeting wait, the rest after it', () => {
  assert.deepEqual(probePlan(6379), {
    greetingFirst: false,
    likely: ['redis'],
    common: ['tls', 'http'],
    rare: ['postgresql', 'amqp', 'mqtt', 'kafka'],
  });
  assert.deepEqual(probePlan(4369).likely, ['epmd']);
  assert.deepEqual(probePlan(443), {
    greetingFirst: false,
    likely: ['tls'],
    common: ['http'],
    rare: ['redis', 'postgresql', 'amqp', 'mqtt', 'kafka'],
  });
  assert.deepEqual(probePlan(22), {
    greetingFirst: true,
    likely: [],
    common: ['tls', 'http'],
    rare: ['redis', 'postgresql', 'amqp', 'mqtt', 'kafka'],
  });
  assert.ok(!probePlan(40000).rare.includes('epmd'), 'epmd (rarity 8) only on its own port');
});

test('epmd NAMES replies are parsed; anything else is not epmd', () => {
  const reply = Buffer.concat([
    Buffer.from([0, 0, 0x11, 0x11]),
    Buffer.from('name rabbit at port 25672\nname \u001b[31mx at port 99999\nname couch at port 9100\n'),
  ]);
  assert.deepEqual(parseEpmdNames(reply)?.nodes, [
    { name: 'rabbit', port: 25672 },
    { name: 'couch', port: 9100 },
  ]);
  const id = epmdIdentified(reply, 4369);
  assert.equal(id?.service, 'epmd');
  assert.equal(id?.product, 'Erlang Port Mapper Daemon');
  assert.deepEqual(
    [...announcedNodes(id?.attributes ?? {})],
    [
      [25672, 'rabbit'],
      [9100, 'couch'],
    ],
  );
  assert.equal(epmdIdentified(Buffer.from([0, 0, 0x11, 0x11]), 4369)?.service, 'epmd', 'no nodes registered');
  assert.equal(epmdIdentified(Buffer.from('HTTP/1.1 400 Bad Request\r\n'), 4369), null);
  assert.equal(epmdIdentified(Buffer.from([0, 0, 0x11, 0x11, 0x41, 0x42]), 4369), null);
});

test('Erlang send_name and send_status frames', () => {
  const frame = sendName();
  assert.equal(frame.readUInt16BE(0), frame.length - 2);
  assert.equal(String.fromCharCode(frame[2] ?? 0), 'n');
  assert.equal(frame.readUInt16BE(3), 5);
  assert.equal(parseStatus(Buffer.from('\u0000\u0003sok')), 'ok');
  assert.equal(parseStatus(Buffer.from('\u0000\u000csnot_allowed')), 'not_allowed');
  assert.equal(parseStatus(Buffer.from('\u0000\u0003s\u001b[')), null);
  assert.equal(parseStatus(Buffer.from('HTTP/1.1')), null);
});

const probeTarget = (port: number) => ({
  io: nodeIo,
  address: '127.0.0.1',
  port,
  hostname: null,
  signal: new AbortController().signal,
});

test('a silent port gets every probe up to the intensity and ends within its budget', { timeout: 30_000 }, async () => {
  const server = await recordingServer(() => undefined); // accepts, reads, never says anything
  try {
    // Probe timeouts far beyond the test's own limit: only the port's budget can end this in time.
    const id = await identifyService({
      ...probeTarget(server.port),
      timeoutMs: 120_000,
      bannerWaitMs: 100,
      budgetMs: 1000,
    });
    assert.equal(id.service, 'unknown');
    const starts = server.firstBytes.map((b) => b.subarray(0, 4).toString('latin1'));
    assert.ok(
      starts.some((s) => s.startsWith('\u0016\u0003')),
      'TLS ClientHello',
    );
    assert.ok(starts.includes('GET '), 'HTTP');
    assert.ok(starts.includes('*1\r\n'), 'Redis PING');
    assert.ok(starts.includes('AMQP'), 'AMQP header');
    assert.ok(!server.firstBytes.some((b) => b.equals(Buffer.from([0, 1, 0x6e]))), 'no epmd request off its port');
  } finally {
    await server.close();
  }
});

test('an Erlang node announced by epmd is confirmed by one handshake', async () => {
  // Like OTP 23+: a send_name from a node it will not talk to is answered by closing at once.
  const server = await tcpServer((socket) => socket.once('data', () => socket.destroy()));
  try {
    const id = await identifyService({
      ...probeTarget(server.port),
      timeoutMs: 3000,
      bannerWaitMs: 100,
      erlangNode: 'rabbit',
    });
    assert.deepEqual(
      [id.service, id.product, id.attributes.node],
      ['erlang-node', 'Erlang Distribution Node', 'rabbit'],
    );
  } finally {
    await server.close();
  }
});
