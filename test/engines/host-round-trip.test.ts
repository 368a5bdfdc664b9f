// What a live host teaches its request's ping timing: one round trip, the quickest of its ping's answer and its port
// scan's answers, each timed in this process (so each includes how busy the process was), and that is what its
// HOST_DONE reports for the other copies.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadConfig } from '../../src/config/load.ts';
import { builtinHostScan, hostRoundTrip } from '../../src/engines/builtin-host-scan.ts';
import { hostScanLimits } from '../../src/engines/host-scan-limits.ts';
import type { HostScan } from '../../src/schemas/types.gen.ts';
import { scannerContext } from '../../src/scanners/index.ts';
import { nodeIo } from '../../src/scanners/io/scanner-io.ts';
import { createDnsClient } from '../../src/scanners/dns/dns-client.ts';
import type { RequestTimings } from '../../src/scanners/tcp/request-timings.ts';
import { producerOf } from '../../src/version.ts';
import { closedPort, tcpServer } from '../helpers/servers.ts';

test('hostRoundTrip: the quicker of the ping and the port scan; none without a ping', () => {
  assert.equal(hostRoundTrip(120, 8), 8);
  assert.equal(hostRoundTrip(5, 30), 5);
  assert.equal(hostRoundTrip(40, null), 40, 'no port answered: the ping alone');
  assert.equal(hostRoundTrip(null, 3), null, 'ping off: nothing to teach the ping timing');
});

test('a live host teaches its request one round trip, after its port scan, and reports it', async () => {
  const server = await tcpServer((s) => s.end());
  const closed = await closedPort();
  const observed: number[] = [];
  const timings: RequestTimings = {
    forHost: () => ({ timeoutMs: () => 1_000, observe: (ms) => void observed.push(ms) }),
    learn: () => undefined,
  };
  const config = loadConfig({ DNS_RESOLVER: '127.0.0.1:9', SCOPE_ALLOW: 'loopback' });
  const scan = builtinHostScan({
    context: (signal) => scannerContext(config, { signal, io: nodeIo }),
    dns: createDnsClient({ server: '127.0.0.1:9' }),
    limits: hostScanLimits({ connectionsInFlight: 64, connectionsPerSecond: 0 }),
    timings,
    pingPorts: [server.port],
    hostTimeoutMs: 10_000,
  });
  const item: HostScan = {
    eventId: 'e',
    requestId: 'r',
    producedAt: 0,
    producer: producerOf('asm_discovery'),
    hostname: null,
    address: '127.0.0.1',
    index: 0,
    ports: `${server.port},${closed}`,
    profile: 'fast',
    ping: null,
    limits: null,
    scope: null,
    reverseDns: false,
    scanAfterDiscovery: false,
    organizationId: null,
    labels: {},
  };
  try {
    const seen = await scan(item, new AbortController().signal);
    assert.equal(seen.up, true);
    assert.equal(observed.length, 1, 'one sample per host, not one for the ping and more for the port scan');
    assert.equal(seen.rttMs, observed[0]);
    assert.ok((seen.rttMs ?? Infinity) <= (seen.reachability?.rttMs ?? 0), 'never slower than the ping alone');
  } finally {
    await server.close();
  }
});
