// Runs the real nmap against a TCP listener this test opens on 127.0.0.1 (loopback only), twice: each open port is
// one SERVICE finding, and the two runs give identical fingerprints although their timestamps differ.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createServer } from 'node:net';
import { promisify } from 'node:util';
import { normalizeRaw } from '../../src/normalizers/index.ts';
import { NOW, PROVENANCE, rawOf } from './raw.ts';

const run = promisify(execFile);

test('a real nmap scan of a loopback listener normalizes to one SERVICE finding, the same on a rescan', async () => {
  const server = createServer((socket) => {
    // nmap resets its probe connections: that is expected, not a test failure
    socket.on('error', () => undefined);
    socket.end('SSH-2.0-OpenSSH_9.2p1 Debian-2\r\n');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  assert.ok(address && typeof address === 'object');
  const port = address.port;
  try {
    const scan = async () =>
      (
        await run('nmap', ['-sT', '-sV', '--version-light', '-Pn', '-n', '-oX', '-', '-p', String(port), '127.0.0.1'], {
          timeout: 120_000,
        })
      ).stdout;
    const [a, b] = [await scan(), await scan()];
    assert.notEqual(a, b); // start times differ
    const fa = normalizeRaw(rawOf(a), PROVENANCE, { now: NOW }).findings;
    const fb = normalizeRaw(rawOf(b, { eventId: 'raw-event-2' }), PROVENANCE, { now: NOW }).findings;
    assert.equal(fa.length, 1);
    assert.equal(fa[0]?.findingType, 'SERVICE');
    assert.equal(fa[0]?.asset.port, port);
    assert.equal(fa[0]?.asset.protocol, 'tcp');
    assert.equal(fa[0]?.asset.ip, '127.0.0.1');
    assert.equal(fa[0]?.asset.service, 'ssh');
    assert.deepEqual(
      fa.map((f) => f.fingerprint),
      fb.map((f) => f.fingerprint),
    );
  } finally {
    server.close();
  }
});
