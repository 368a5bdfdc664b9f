// A server that keeps a response alive by sending one body chunk a second never trips undici's idle timeouts
// (headersTimeout, bodyTimeout): every HTTP probe must still end within its own wall-clock budget.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { activeChecks } from '../../../src/scanners/checks/active-checks.ts';
import { identifyService } from '../../../src/scanners/identify/identify.ts';
import { nodeIo } from '../../../src/scanners/io/scanner-io.ts';
import { httpServiceAt } from '../../helpers/service.ts';
import { tcpServer } from '../../helpers/servers.ts';

/** Answers every request with `head`, then one chunk of body a second until the client leaves. */
async function drippingServer(head: string) {
  let closedByClient = 0;
  const server = await tcpServer((socket) => {
    let timer: NodeJS.Timeout | undefined;
    socket.once('data', () => {
      socket.write(head);
      const drip = () => {
        socket.write('1\r\na\r\n');
        timer = setTimeout(drip, 1000);
      };
      drip();
    });
    socket.once('close', () => {
      clearTimeout(timer);
      closedByClient++;
    });
  });
  return { port: server.port, closedByClient: () => closedByClient, close: server.close };
}

const HEAD = 'HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nTransfer-Encoding: chunked\r\n\r\n';
const target = (port: number) => ({
  io: nodeIo,
  address: '127.0.0.1',
  port,
  hostname: null,
  signal: new AbortController().signal,
  timeoutMs: 1500,
});

test('identification ends on a server that drips its body forever', { timeout: 60_000 }, async () => {
  const server = await drippingServer(HEAD);
  try {
    const id = await identifyService({ ...target(server.port), bannerWaitMs: 300 });
    assert.equal(id.service, 'http');
    assert.equal(id.http?.status, 200);
  } finally {
    await server.close();
  }
});

test('the HTTP checks end on a server that drips its body forever', { timeout: 60_000 }, async () => {
  const server = await drippingServer(HEAD);
  const service = httpServiceAt(server.port);
  try {
    const { runs } = await activeChecks(service, target(server.port));
    assert.deepEqual(runs.map((r) => r.id).sort(), ['http-directory-listing', 'http-git-exposed']);
    assert.ok(server.closedByClient() >= 1, 'the client hung up');
  } finally {
    await server.close();
  }
});
