// Between two monitoring rounds a new listening port opens on loopback, then closes: discovery (the real built-in
// scanners, on 127.0.0.1 only) and asm_exposure on the local runner report exactly one PORT_OPENED, then exactly one
// PORT_CLOSED, for that port.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Socket } from 'node:net';
import { loadConfig } from '../../src/config/load.ts';
import { discoveryRequest } from '../../src/app/requests.ts';
import { wireStages } from '../../src/app/stage-deps.ts';
import { MONITOR_LABELS } from '../../src/monitoring/monitor-labels.ts';
import { createLocalRunner } from '../../src/runtime/local/local-runner.ts';
import { silent } from '../helpers/exposure-harness.ts';

interface Listener {
  readonly port: number;
  close(): Promise<void>;
}

/** A TCP listener on 127.0.0.1 that closes each connection; close() also drops the connections still open. */
function listen(port = 0): Promise<Listener> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    // Probes may still write after the close: a reset here is expected, not an error.
    socket.on('error', () => {}).on('close', () => sockets.delete(socket));
    socket.end();
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () =>
      resolve({
        port: (server.address() as { port: number }).port,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            for (const s of sockets) s.destroy();
          }),
      }),
    );
  });
}

test('a port opened on loopback between two rounds is one PORT_OPENED; closed, one PORT_CLOSED', async () => {
  // DNS_RESOLVER on loopback: nothing here should resolve a name, and if it did, it would stay on this machine.
  const config = loadConfig({ DNS_RESOLVER: '127.0.0.1:9', SCOPE_ALLOW: '127.0.0.1/32' });
  const wiring = await wireStages(config);
  const stages = wiring.stages.filter((s) => ['asm_discovery', 'host_scan', 'asm_exposure'].includes(s.processor.name));
  const runner = createLocalRunner({ stages, runtime: config.runtime, logger: silent });
  const steady = await listen();
  const probe = await listen();
  const extraPort = probe.port;
  await probe.close(); // a free port, closed during the first round
  let extra: Listener | undefined;
  const round = async (n: number) => {
    const request = discoveryRequest(['127.0.0.1'], {
      scope: null,
      profile: 'default',
      ports: `${steady.port},${extraPort}`,
      requestId: `round-${n}`,
    });
    request.enumerateSubdomains = false;
    request.reverseDns = false;
    request.labels = { [MONITOR_LABELS.monitor]: 'm', [MONITOR_LABELS.everyMs]: String(3_600_000) };
    runner.publish('discovery-requests', request.requestId, request);
    await runner.idle();
    return runner
      .collected('asset-changes')
      .filter((c) => c.value.requestId === request.requestId)
      .map((c) => `${c.value.kind} ${c.value.subject}`);
  };
  try {
    assert.deepEqual(await round(1), ['ASSET_APPEARED 127.0.0.1']);
    extra = await listen(extraPort); // opens between rounds 1 and 2
    assert.deepEqual(await round(2), [`PORT_OPENED 127.0.0.1:${extraPort}/tcp`]);
    assert.deepEqual(await round(3), [], 'nothing changed');
    await extra.close();
    assert.deepEqual(await round(4), [`PORT_CLOSED 127.0.0.1:${extraPort}/tcp`]);
    assert.equal(runner.deadLetters.length, 0);
  } finally {
    await runner.stop();
    await wiring.close();
    await extra?.close();
    await steady.close();
  }
});
