// A large scan runs in worker threads that are kept between scans: scans one after another find the same open
// ports, an aborted scan rejects (its workers are ended, not reused), the scan after it still works, and the idle
// workers left at the end do not keep the process alive (this file's process exits).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { nodeIo } from '../../../src/scanners/io/scanner-io.ts';
import { connectBudget } from '../../../src/scanners/tcp/connect-budget.ts';
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

test('with a connection budget: the workers run on slots reserved from it, or the scan runs slot by slot on this thread when too few are free; every slot is given back', async () => {
  const server = await tcpServer((s) => s.end());
  try {
    const ports = [server.port, ...Array.from({ length: 4999 }, (_, i) => 1 + i)];
    for (const inFlight of [1000, 100]) {
      // 1,000 free: 3 shares of 64+ slots each can be reserved; 100: too few, the calling thread scans.
      const budget = connectBudget({ inFlight, perSecond: 0 });
      let most = 0;
      const watched = {
        ...budget,
        tryTake: () => {
          const taken = budget.tryTake();
          most = Math.max(most, budget.inUse);
          return taken;
        },
        get inUse() {
          return budget.inUse;
        },
      };
      const result = await scanTcpPortsParallel({
        address: '127.0.0.1',
        ports,
        io: nodeIo,
        threads: 3,
        concurrency: 300,
        budget: watched,
      });
      assert.ok(result.open.includes(server.port), `inFlight ${inFlight}`);
      assert.equal(result.open.length + result.closedCount, ports.length);
      // The workers' slots are reserved at once (3 × 100); slot by slot, never more than the budget.
      if (inFlight === 1000) assert.equal(most, 300);
      else assert.ok(most > 0 && most <= inFlight, `at most ${most} slots in use`);
      assert.equal(budget.inUse, 0, 'every slot given back');
    }
  } finally {
    await server.close();
  }
});
