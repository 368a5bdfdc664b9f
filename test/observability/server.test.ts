import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createMetrics } from '../../src/observability/metrics.ts';
import { startObservabilityServer } from '../../src/observability/server.ts';

test('serves /metrics, /healthz and /readyz on 127.0.0.1', async () => {
  const metrics = createMetrics();
  metrics.consumed.inc({ stage: 's', topic: 't' }, 3);
  metrics.handleSeconds.observe({ stage: 's', outcome: 'done' }, 0.02);
  let ready = false;
  const server = await startObservabilityServer({
    port: 0,
    ephemeral: true,
    registry: metrics.registry,
    health: { live: () => true, ready: () => ready },
  });
  assert.ok(server);
  try {
    const base = `http://127.0.0.1:${server.port}`;
    const text = await (await fetch(`${base}/metrics`)).text();
    assert.match(text, /asmvs_events_consumed_total\{stage="s",topic="t"\} 3/);
    assert.match(text, /asmvs_handle_duration_seconds_bucket/);
    for (const name of ['produced', 'retried', 'dead_lettered'])
      assert.match(text, new RegExp(`asmvs_events_${name}_total`));
    assert.match(text, /asmvs_events_in_flight/);
    assert.match(text, /asmvs_consumer_lag/);
    assert.equal((await fetch(`${base}/healthz`)).status, 200);
    assert.equal((await fetch(`${base}/readyz`)).status, 503);
    ready = true;
    assert.equal((await fetch(`${base}/readyz`)).status, 200);
    assert.equal((await fetch(`${base}/nope`)).status, 404);
  } finally {
    await server.close();
  }
});

test('port 0 in config means no server', async () => {
  assert.equal(
    await startObservabilityServer({
      port: 0,
      registry: createMetrics().registry,
      health: { live: () => true, ready: () => true },
    }),
    undefined,
  );
});

test('listens on the host it is given (METRICS_HOST), not on 127.0.0.1', async () => {
  const server = await startObservabilityServer({
    port: 0,
    ephemeral: true,
    host: '127.0.0.2',
    registry: createMetrics().registry,
    health: { live: () => true, ready: () => true },
  });
  assert.ok(server);
  try {
    assert.equal((await fetch(`http://127.0.0.2:${server.port}/readyz`)).status, 200);
    await assert.rejects(fetch(`http://127.0.0.1:${server.port}/readyz`));
  } finally {
    await server.close();
  }
});

test('process metrics keep their standard names; build info names the version', async () => {
  const text = await createMetrics(undefined, { defaultMetrics: true }).registry.metrics();
  assert.match(text, /^process_resident_memory_bytes \d+/m);
  assert.match(text, /^nodejs_eventloop_lag_seconds /m);
  assert.doesNotMatch(text, /asmvs_process_/);
  assert.match(text, /^asmvs_build_info\{version="\d+\.\d+\.\d+[^"]*",node_version="24\.[^"]+"\} 1$/m);
});
