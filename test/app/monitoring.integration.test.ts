// Must show (#7), on the real stack: a target monitored every few seconds is rediscovered repeatedly; opening a new
// listening port on loopback between two rounds yields exactly one PORT_OPENED, closing it exactly one PORT_CLOSED;
// a certificate that expires within the warning window yields one CERTIFICATE_EXPIRING, not one per round.
// asm_scheduler, asm_discovery and asm_exposure run on Kafka in this process, wired as `asmvs run` wires them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import tls from 'node:tls';
import { setTimeout as delay } from 'node:timers/promises';
import { wireStages } from '../../src/app/stage-deps.ts';
import { createKafka } from '../../src/runtime/kafka/client.ts';
import { provisionTopics } from '../../src/runtime/kafka/provision-topics.ts';
import { publishEvents } from '../../src/runtime/kafka/publish.ts';
import { readTopic } from '../../src/runtime/kafka/read-topic.ts';
import { runStage } from '../../src/runtime/kafka/run-stage.ts';
import type { StageRunner } from '../../src/runtime/kafka/stage-runner.ts';
import { pipelineTopics } from '../../src/topology.ts';
import type { Config } from '../../src/config/config.ts';
import type { Asset, AssetChange, DiscoveryRequest } from '../../src/schemas/types.gen.ts';
import { stackConfig, uniquePrefix } from '../helpers/stack.ts';
import { monitorEvent } from '../helpers/fixtures/monitor-event.ts';
import { makeCertExpiringIn } from '../helpers/certs.ts';
import { silent } from '../helpers/runtime-settings.ts';
import { createLogger } from '../../src/observability/logger.ts';

const EVERY_MS = 2_500;

function listen(server: net.Server, port = 0): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve((server.address() as net.AddressInfo).port));
  });
}

/** Closes the listener and every connection it still has (close() alone waits for peers to hang up). */
function close(server: net.Server): Promise<void> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  for (const socket of (server as net.Server & { sockets?: Set<net.Socket> }).sockets ?? []) socket.destroy();
  return closed;
}

/** A server that records its connections (for close()) and hangs up on each one. */
function tracked<T extends net.Server>(server: T): T {
  const sockets = new Set<net.Socket>();
  Object.assign(server, { sockets });
  server.on(server instanceof tls.Server ? 'secureConnection' : 'connection', (socket: net.Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined); // probes may reset: not the test's failure
    socket.end();
  });
  return server;
}

async function until(
  what: string,
  condition: () => boolean,
  timeoutMs = Number(process.env['TEST_WAIT_MS'] ?? 40_000),
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await delay(100);
  }
}

test(
  'a monitored target: one PORT_OPENED, one PORT_CLOSED, one CERTIFICATE_EXPIRING over many rounds',
  { timeout: 180_000 },
  async () => {
    const prefix = uniquePrefix('monitoring');
    const config = stackConfig({
      TOPIC_PREFIX: prefix,
      TOPIC_PARTITIONS: '3',
      MONITOR_MIN_INTERVAL_MS: '1000',
      SCOPE_ALLOW: '127.0.0.0/8',
      RESCAN_POLICY: 'off',
      CERT_EXPIRY_WARNING_MS: String(30 * 86_400_000),
    });
    const kafka = createKafka(config.kafka as NonNullable<Config['kafka']>, 'test-monitoring');
    await provisionTopics(kafka, pipelineTopics({ rawFindingsRetentionMs: -1 }), {
      prefix,
      partitions: 3,
      replicationFactor: 1,
    });

    // A TLS service whose certificate expires in 10 days (inside the 30-day window), and a port we open and close.
    const pem = makeCertExpiringIn(10);
    // Probes may reset their connections: a reset is not the test's failure.
    const tlsServer = tracked(tls.createServer({ key: pem.key, cert: pem.cert }));
    tlsServer.on('tlsClientError', () => undefined);
    const tlsPort = await listen(tlsServer);
    const probe = net.createServer();
    const movingPort = await listen(probe);
    await close(probe); // closed at first; reopened on the same port later
    let moving: net.Server | undefined;

    const wiring = await wireStages(config);
    const runners: StageRunner[] = [];
    const reading = new AbortController();
    const assets: Asset[] = [];
    const changes: AssetChange[] = [];
    const rounds = new Set<string>();
    const readers = [
      readTopic(
        config,
        'assets',
        { from: 'earliest', signal: reading.signal },
        (r) => void assets.push(r.value as Asset),
      ),
      readTopic(
        config,
        'asset-changes',
        { from: 'earliest', signal: reading.signal },
        (r) => void changes.push(r.value as AssetChange),
      ),
      readTopic(
        config,
        'discovery-requests',
        { from: 'earliest', signal: reading.signal },
        (r) => void rounds.add((r.value as DiscoveryRequest).requestId),
      ),
    ];
    try {
      for (const name of ['asm_scheduler', 'asm_discovery', 'host_scan', 'asm_exposure']) {
        const stage = wiring.stages.find((s) => s.processor.name === name);
        assert.ok(stage, name);
        runners.push(
          await runStage(config, stage.processor, {
            deps: stage.deps,
            logger: process.env['TEST_LOG'] ? createLogger({ level: 'info' }) : silent,
          }),
        );
      }
      await publishEvents(config, 'monitors', [
        {
          key: '127.0.0.1',
          value: monitorEvent('127.0.0.1', EVERY_MS, { ports: `${tlsPort},${movingPort}`, scanAfterDiscovery: false }),
        },
      ]);
      const has = (a: Asset, port: number) => a.services.some((s) => s.port === port);
      const seen = () => assets.filter((a) => a.value === '127.0.0.1');

      // Two rounds with the port closed.
      await until('two rounds', () => seen().length >= 2);
      assert.ok(seen().every((a) => has(a, tlsPort) && !has(a, movingPort)));
      moving = tracked(net.createServer());
      await listen(moving, movingPort);
      await until('a round that sees the port open', () => seen().some((a) => has(a, movingPort)));
      const openedAt = seen().length;
      await until('two more rounds', () => seen().length >= openedAt + 2);
      await close(moving);
      moving = undefined;
      await until('a round that sees the port closed', () =>
        seen()
          .slice(openedAt)
          .some((a) => !has(a, movingPort)),
      );
      const closedAt = seen().length;
      await until('two more rounds', () => seen().length >= closedAt + 2);
      await delay(1_000); // the last round's changes

      const subject = `127.0.0.1:${movingPort}/tcp`;
      const of = (kind: string, s?: string) =>
        changes.filter((c) => c.kind === kind && (s === undefined || c.subject === s));
      console.log(
        `[monitoring] rounds ${rounds.size}, assets ${seen().length}, changes ${changes.map((c) => `${c.kind} ${c.subject}`).join('; ')}`,
      );
      assert.ok(rounds.size >= 6, `rediscovered repeatedly: ${rounds.size} rounds`);
      assert.equal(of('PORT_OPENED', subject).length, 1, 'exactly one PORT_OPENED');
      assert.equal(of('PORT_CLOSED', subject).length, 1, 'exactly one PORT_CLOSED');
      assert.equal(of('CERTIFICATE_EXPIRING').length, 1, 'one CERTIFICATE_EXPIRING over all the rounds');
      assert.equal(of('CERTIFICATE_EXPIRING')[0]?.subject, `127.0.0.1:${tlsPort}/tcp`);
      assert.equal(of('ASSET_APPEARED').length, 1);
      assert.equal(of('PORT_OPENED').length + of('PORT_CLOSED').length, 2, 'no other port changes');
      // Each change names the request that saw it: a monitor round.
      const opened = of('PORT_OPENED', subject)[0] as AssetChange;
      assert.ok(rounds.has(opened.requestId), 'the change names the round that saw it');
      assert.equal(opened.before, null);
      assert.ok(opened.after, 'after describes the service');
      assert.equal(new Set(changes.map((c) => c.changeId)).size, changes.length, 'change ids are distinct');
    } finally {
      for (const r of runners.reverse()) await r.stop();
      await wiring.close();
      reading.abort();
      await Promise.all(readers);
      if (moving) await close(moving);
      await close(tlsServer);
    }
  },
);
