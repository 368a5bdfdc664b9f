import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { scanTcpPorts } from '../../../src/scanners/tcp/connect-scan.ts';
import { nodeIo } from '../../../src/scanners/io/scanner-io.ts';
import { rttEstimator } from '../../../src/scanners/tcp/rtt-estimator.ts';
import { parseNmapServices, topPorts } from '../../../src/scanners/tcp/nmap-services.ts';
import { TOP_TCP_PORTS } from '../../../src/scanners/tcp/top-ports.gen.ts';
import { closedPort, tcpServer } from '../../helpers/servers.ts';

test('open and closed ports on loopback', async () => {
  const a = await tcpServer((s) => s.end());
  const b = await tcpServer((s) => s.end());
  const closed = await closedPort();
  try {
    const result = await scanTcpPorts({
      address: '127.0.0.1',
      ports: [a.port, closed, b.port],
      io: nodeIo,
      concurrency: 2,
    });
    assert.deepEqual(
      result.open,
      [a.port, b.port].sort((x, y) => x - y),
    );
    assert.deepEqual(result.filtered, []);
    assert.equal(result.closedCount, 1);
  } finally {
    await a.close();
    await b.close();
  }
});

test('a port that never answers is tried again with twice the timeout, then filtered; its connects are cancelled', async () => {
  const silent = 7;
  const started: number[] = [];
  const cancelled: number[] = [];
  const io = {
    ...nodeIo,
    probeConnect: (_address: string, port: number, done: (outcome: 'refused') => void) => {
      if (port !== silent) {
        setImmediate(() => done('refused'));
        return () => assert.fail('an answered connect is not cancelled');
      }
      started.push(performance.now());
      return () => cancelled.push(performance.now());
    },
  };
  const result = await scanTcpPorts({
    address: '127.0.0.1',
    ports: [1, 2, silent, 9],
    io,
    initialTimeoutMs: 100,
    minTimeoutMs: 100,
    maxTimeoutMs: 100,
  });
  assert.deepEqual(result.filtered, [silent]);
  assert.deepEqual(result.open, []);
  assert.equal(result.closedCount, 3);
  assert.equal(started.length, 2, 'tried twice (one retry)');
  assert.equal(cancelled.length, 2);
  const waited = cancelled.map((t, i) => t - (started[i] as number));
  assert.ok(waited[0]! >= 100 && waited[1]! >= 200, `waited ${waited.map((w) => w.toFixed(0)).join(', ')} ms`);
});

test('abort stops the scan', async () => {
  const controller = new AbortController();
  const scan = scanTcpPorts({
    address: '127.0.0.1',
    ports: Array.from({ length: 20_000 }, (_, i) => i + 40_000),
    io: nodeIo,
    signal: controller.signal,
    concurrency: 16,
  });
  controller.abort();
  await assert.rejects(scan, { code: 'ABORTED' });
});

test('the adaptive timeout follows observed round trips, within bounds', () => {
  const rtt = rttEstimator({ initialMs: 1000, minMs: 100, maxMs: 3000 });
  assert.equal(rtt.timeoutMs(), 1000);
  for (let i = 0; i < 20; i++) rtt.observe(0.2);
  assert.equal(rtt.timeoutMs(), 100);
  for (let i = 0; i < 50; i++) rtt.observe(400 + (i % 2) * 200);
  assert.ok(rtt.timeoutMs() > 500 && rtt.timeoutMs() <= 3000);
  for (let i = 0; i < 50; i++) rtt.observe(10_000);
  assert.equal(rtt.timeoutMs(), 3000);
});

test('top ports: the shipped list is nmap-services ordered by frequency', () => {
  assert.equal(TOP_TCP_PORTS.length, 1000);
  assert.deepEqual(TOP_TCP_PORTS.slice(0, 10), [80, 23, 443, 21, 22, 25, 3389, 110, 445, 139]);
  assert.equal(new Set(TOP_TCP_PORTS).size, 1000);
  const file = '/usr/share/nmap/nmap-services';
  if (existsSync(file)) assert.deepEqual(topPorts(parseNmapServices(readFileSync(file, 'utf8')), 1000), TOP_TCP_PORTS);
  assert.deepEqual(parseNmapServices('http\t80/tcp\t0.48\nx\t80/udp\t0.9\n# c\nssh\t22/tcp\t0.18\n'), [
    { port: 80, name: 'http', frequency: 0.48 },
    { port: 22, name: 'ssh', frequency: 0.18 },
  ]);
});

test('the fastest answer is the quickest port to answer, from its connect call; null when none answered', async () => {
  const closed = await closedPort();
  const t0 = performance.now();
  const result = await scanTcpPorts({ address: '127.0.0.1', ports: [closed], io: nodeIo });
  assert.equal(result.closedCount, 1);
  // the probe makes its connect call at once, so the scan's own duration bounds the answer's round trip
  assert.ok(result.fastestRttMs !== null && result.fastestRttMs <= performance.now() - t0, `${result.fastestRttMs} ms`);
  const silent = await scanTcpPorts({
    address: '127.0.0.1',
    ports: [closed],
    io: { probeConnect: () => () => undefined }, // nothing ever answers
    initialTimeoutMs: 20,
    minTimeoutMs: 20,
    retries: 0,
  });
  assert.deepEqual([silent.filtered, silent.fastestRttMs], [[closed], null]);
});
