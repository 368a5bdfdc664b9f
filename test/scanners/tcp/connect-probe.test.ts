// The port scan's door, both ways it is built (libuv's TCP handle where Node gives it, net.Socket otherwise): the
// same outcomes for an open and a closed port, a cancelled connect never reported, and a scan that finds the same
// ports through either.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  connectProbe,
  handleConnectProbe,
  socketConnectProbe,
  type ConnectOutcome,
  type ConnectProbe,
} from '../../../src/scanners/io/connect-probe.ts';
import { nodeIo } from '../../../src/scanners/io/scanner-io.ts';
import { scanTcpPorts } from '../../../src/scanners/tcp/connect-scan.ts';
import { closedPort, tcpServer } from '../../helpers/servers.ts';

const probes: [string, ConnectProbe | undefined][] = [
  ['TCP handle', handleConnectProbe],
  ['net.Socket', socketConnectProbe],
];

// Where this Node does not give the TCP handle its tests skip, saying so (the first test then fails: the scan lost it).
const noHandle = (probe: ConnectProbe | undefined) => (probe ? false : 'this Node does not give the TCP handle');

const outcomeOf = (probe: ConnectProbe, port: number) =>
  new Promise<[ConnectOutcome, string | undefined]>((resolve) => {
    probe('127.0.0.1', port, (outcome, code) => resolve([outcome, code]));
  });

test('this Node gives the TCP handle, and the scan uses it', () => {
  assert.ok(handleConnectProbe, 'process.binding("tcp_wrap") is usable');
  assert.equal(connectProbe, handleConnectProbe);
  assert.equal(nodeIo.probeConnect, handleConnectProbe);
});

for (const [name, probe] of probes) {
  test(
    `${name}: open, then reset; refused; reported once and never synchronously`,
    { skip: noHandle(probe) },
    async () => {
      const p = probe as ConnectProbe;
      const resets: string[] = [];
      const server = await tcpServer((socket) => {
        socket.on('error', (e: NodeJS.ErrnoException) => resets.push(e.code ?? ''));
      });
      const closed = await closedPort();
      try {
        let calls = 0;
        const reported = new Promise<ConnectOutcome>((resolve) =>
          p('127.0.0.1', server.port, (outcome) => {
            calls++;
            resolve(outcome);
          }),
        );
        assert.equal(calls, 0, 'not reported synchronously');
        assert.equal(await reported, 'open');
        assert.deepEqual(await outcomeOf(p, closed), ['refused', undefined]);
        await new Promise((resolve) => setTimeout(resolve, 50));
        assert.equal(calls, 1);
        assert.deepEqual(resets, ['ECONNRESET'], 'the service saw an RST, not a FIN');
      } finally {
        await server.close();
      }
    },
  );

  test(`${name}: a cancelled connect is closed and never reported`, { skip: noHandle(probe) }, async () => {
    const p = probe as ConnectProbe;
    const server = await tcpServer(() => undefined);
    const closed = await closedPort();
    try {
      const reported: ConnectOutcome[] = [];
      p('127.0.0.1', server.port, (outcome) => reported.push(outcome))();
      p('127.0.0.1', closed, (outcome) => reported.push(outcome))();
      await new Promise((resolve) => setTimeout(resolve, 50));
      assert.deepEqual(reported, []);
    } finally {
      await server.close();
    }
  });

  test(`${name}: an IPv6 literal is connected as IPv6`, { skip: noHandle(probe) }, async () => {
    const [outcome, code] = await new Promise<[ConnectOutcome, string | undefined]>((resolve) => {
      (probe as ConnectProbe)('::1', 1, (o, c) => resolve([o, c]));
    });
    // Port 1 on ::1: refused where the host has IPv6 loopback, EADDRNOTAVAIL/ENETUNREACH where it has none.
    assert.ok(outcome === 'refused' || (outcome === 'failed' && code !== undefined), `${outcome} ${code}`);
  });
}

test('a scan finds the same ports through either probe', { skip: noHandle(handleConnectProbe) }, async () => {
  const a = await tcpServer((s) => s.end());
  const b = await tcpServer((s) => s.end());
  try {
    const closed = new Set(await Promise.all(Array.from({ length: 50 }, () => closedPort())));
    const ports = [a.port, b.port, ...closed];
    const results = [];
    for (const probe of [handleConnectProbe as ConnectProbe, socketConnectProbe]) {
      const {
        durationMs: _,
        fastestRttMs: __,
        ...result
      } = await scanTcpPorts({
        address: '127.0.0.1',
        ports,
        io: { ...nodeIo, probeConnect: probe },
        concurrency: 64,
      });
      results.push(result);
    }
    assert.deepEqual(results[0], results[1]);
    assert.ok(results[0]?.open.includes(a.port) && results[0].open.includes(b.port));
  } finally {
    await a.close();
    await b.close();
  }
});
