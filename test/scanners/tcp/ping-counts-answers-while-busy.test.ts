// A ping's deadline is checked after the event loop has read its sockets: when the process is busy past the deadline
// (hundreds of hosts starting at once), an answer that arrived in time still counts. The timeout may have been learnt
// from another, less busy copy's answers, so it cannot be trusted to also cover this process's lag.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { nodeIo } from '../../../src/scanners/io/scanner-io.ts';
import { rttEstimator } from '../../../src/scanners/tcp/rtt-estimator.ts';
import { pingHost } from '../../../src/scanners/tcp/tcp-ping.ts';
import { tcpServer } from '../../helpers/servers.ts';

/** One ping round of one port, its timeout fixed at `timeoutMs`. */
function pingOnce(port: number, timeoutMs: number, checkEveryMs?: number) {
  return pingHost({
    address: '127.0.0.1',
    ports: [port],
    io: nodeIo,
    signal: new AbortController().signal,
    timing: rttEstimator({ initialMs: timeoutMs, minMs: timeoutMs, maxMs: timeoutMs }),
    retries: 0,
    ...(checkEveryMs === undefined ? {} : { checkEveryMs }),
  });
}

function busy(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until);
}

test('an answer that arrived while the loop was blocked past the deadline means up', async () => {
  const server = await tcpServer((s) => s.end());
  try {
    // Both in one check phase, after the loop has polled its sockets: the first sends the connect (the callbacks'
    // microtasks run in between), the second keeps the loop busy past the deadline while the answer arrives, so the
    // deadline's timer is due before the next poll reads it.
    const ping = new Promise<Awaited<ReturnType<typeof pingHost>>>((resolve, reject) => {
      setImmediate(() => pingOnce(server.port, 20, 5).then(resolve, reject));
      setImmediate(() => busy(100));
    });
    const result = await ping;
    assert.equal(result.up, true);
    assert.equal(result.reason, 'syn-ack');
  } finally {
    await server.close();
  }
});

test('the round trip is timed from the connect call, not from the work queued before it', async () => {
  const server = await tcpServer((s) => s.end());
  try {
    // Queued before the ping's probe (as other hosts' starts are when hundreds start at once): the ping is asked
    // for first, its connect is made after this work.
    queueMicrotask(() => busy(150));
    const ping = pingOnce(server.port, 1000);
    const result = await ping;
    assert.equal(result.up, true);
    assert.ok((result.rttMs ?? Infinity) < 100, `round trip ${result.rttMs} ms includes the 150 ms of queued work`);
  } finally {
    await server.close();
  }
});
