// The container's health check (bin/healthcheck.js) exits 0 only while the stage answers /readyz, and reaches a
// server bound to the wildcard address (the image's METRICS_HOST=0.0.0.0) through loopback.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createMetrics } from '../../src/observability/metrics.ts';
import { startObservabilityServer } from '../../src/observability/server.ts';

const SCRIPT = fileURLToPath(new URL('../../bin/healthcheck.js', import.meta.url));

test('exit 1 before the stage is ready, 0 once it is, 1 when nothing listens', async () => {
  let ready = false;
  const server = await startObservabilityServer({
    port: 0,
    ephemeral: true,
    host: '0.0.0.0',
    registry: createMetrics().registry,
    health: { live: () => true, ready: () => ready },
  });
  assert.ok(server);
  try {
    assert.equal(await checkAsync(server.port), 1);
    ready = true;
    assert.equal(await checkAsync(server.port), 0);
  } finally {
    await server.close();
  }
  assert.equal(await checkAsync(server.port), 1);
});

/** Runs the check as a container would; asynchronously, since the server answers from this process. */
function checkAsync(port: number): Promise<number | null> {
  const child = spawn(process.execPath, [SCRIPT], {
    env: { METRICS_HOST: '0.0.0.0', METRICS_PORT: String(port) },
    stdio: 'ignore',
  });
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}
