// A large scan runs in worker threads that are kept between scans: scans one after another find the same open
// ports, an aborted scan rejects (its workers are ended, not reused), the scan after it still works, and the idle
// workers left at the end do not keep the process alive (this file's process exits).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { nodeIo } from '../../../src/scanners/io/scanner-io.ts';
import { defaultThreads, scanTcpPortsParallel } from '../../../src/scanners/tcp/parallel-scan.ts';
import { tcpServer } from '../../helpers/servers.ts';

test('scans one after another through kept workers; an aborted one in between', async () => {
  const a = await tcpServer((s) => s.end());
  const b = await tcpServer((s) => s.end());
  try {
    // 5,000 ports: past the threshold for worker threads; the two listeners among them.
    const ports = [a.port, b.port, ...Array.from({ length: 4998 }, (_, i) => 1 + i)];
    const scan = (signal?: AbortSignal) =>
      scanTcpPortsParallel({ address: '127.0.0.1', ports, io: nodeIo, threads: 2, concurrency: 256, signal });
    for (let round = 0; round < 2; round++) {
      const result = await scan();
      assert.ok(result.open.includes(a.port) && result.open.includes(b.port), `round ${round}`);
      assert.deepEqual(result.filtered, []);
      assert.equal(result.open.length + result.closedCount, ports.length);
    }
    const stop = new AbortController();
    const aborted = scan(stop.signal);
    setImmediate(() => stop.abort());
    await assert.rejects(aborted, { code: 'ABORTED' });
    const after = await scan();
    assert.ok(after.open.includes(a.port) && after.open.includes(b.port));
  } finally {
    await a.close();
    await b.close();
  }
});

test('a large scan is split into one share more than cores, at most 4; not at all on one core', () => {
  assert.deepEqual(
    [1, 2, 3, 4, 16].map((cores) => defaultThreads(cores)),
    [1, 3, 4, 4, 4],
  );
});
