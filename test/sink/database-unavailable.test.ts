// A database that does not answer is DATABASE_UNAVAILABLE (retryable: the runner backs off, nothing is committed).
// Connects to a closed loopback port only.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { openSink } from '../../src/sink/index.ts';

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return typeof address === 'object' && address ? address.port : 1;
}

test('an unreachable PostgreSQL is a retryable DATABASE_UNAVAILABLE', async () => {
  const sink = openSink(`postgres://postgres@127.0.0.1:${await closedPort()}/none`);
  try {
    await assert.rejects(sink.migrate(), { code: 'DATABASE_UNAVAILABLE', retryable: true });
    await assert.rejects(
      sink.completeScan({ assetKey: 'a', scanner: 's', scanId: 'x', finishedAt: 1, seenFingerprints: [] }),
      { code: 'DATABASE_UNAVAILABLE' },
    );
  } finally {
    await sink.close();
  }
});
