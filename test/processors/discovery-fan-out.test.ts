// A discovery request fans out into one host item per address, in bounded chunks, and asm_progress counts them back
// in: the processors on the local runner, with the host scan and DNS replaced by fakes (the real ones are tested
// in namespaces, test/scanners/range-scan.integration.test.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { discoveryRequest } from '../../src/app/requests.ts';
import { AsmvsError } from '../../src/errors.ts';
import type { AnyProcessor } from '../../src/processor.ts';
import { asmDiscovery, type DiscoveryDeps } from '../../src/processors/asm-discovery.ts';
import { asmProgress } from '../../src/processors/asm-progress.ts';
import { hostScan, type HostScanDeps } from '../../src/processors/host-scan.ts';
import { readJobEvent } from '../../src/processors/job-events.ts';
import { createLocalRunner } from '../../src/runtime/local/local-runner.ts';
import { narrowPolicy, operatorPolicy } from '../../src/scanners/scope/policy.ts';
import { runtimeSettings, silent } from '../helpers/runtime-settings.ts';

const operator = operatorPolicy({ allow: [], deny: [], allowMetadata: false, maxAddresses: 65_536 });

function discoveryDeps(chunkSize: number, names: Record<string, string[]> = {}): DiscoveryDeps {
  return {
    policy: (request) => narrowPolicy(operator, request.scope),
    expandName: async (name) =>
      names[name]
        ? {
            domains: [
              { kind: 'DOMAIN', value: name, hostnames: [name], addresses: names[name], dnsRecords: [], services: [] },
            ],
            hosts: names[name].map((address) => ({ address, hostname: name })),
            refused: false,
          }
        : { domains: [], hosts: [], refused: true },
    chunkSize,
    now: Date.now,
  };
}

/** Hosts whose last octet is in `up` answer with one open port; `refuse` are refused by the scope at run time. */
function hostDeps(up: number[], refuse: number[] = [], seen: string[] = []): HostScanDeps {
  return {
    scan: async (item) => {
      seen.push(item.address);
      const octet = Number(item.address.split('.').at(-1));
      if (refuse.includes(octet)) throw new AsmvsError('TARGET_OUT_OF_SCOPE', `${item.address} is out of scope: test`);
      if (!up.includes(octet)) return { up: false, reachability: null, hostnames: [], services: [], rttMs: null };
      const service = {
        port: 80,
        protocol: 'TCP' as const,
        state: 'open',
        service: 'http',
        product: null,
        version: null,
        banner: null,
        tls: null,
        http: null,
        attributes: {},
      };
      return {
        up: true,
        reachability: { reason: 'syn-ack', port: 80, rttMs: 1 },
        hostnames: [],
        services: [service],
        rttMs: 1,
      };
    },
    now: Date.now,
  };
}

function pipeline(discovery: DiscoveryDeps, hosts: HostScanDeps) {
  return createLocalRunner({
    stages: [
      { processor: asmDiscovery as unknown as AnyProcessor, deps: discovery },
      { processor: hostScan as unknown as AnyProcessor, deps: hosts, concurrency: 32 },
      { processor: asmProgress as unknown as AnyProcessor, deps: { now: Date.now, reportEveryMs: 5 } },
    ],
    runtime: runtimeSettings({ retry: { maxAttempts: 1, baseMs: 1, maxMs: 1 } }),
    logger: silent,
  });
}

test('a /26 expands in chunks of 16 into 64 items, each scanned once and counted once; COMPLETED once', async () => {
  const seen: string[] = [];
  const runner = pipeline(discoveryDeps(16), hostDeps([1, 2], [], seen));
  const request = discoveryRequest(['198.18.0.0/26'], { scope: null, profile: 'fast', ports: null, requestId: 'r1' });
  runner.publish('discovery-requests', 'r1', request);
  runner.publish('discovery-requests', 'r1', request); // redelivered: a no-op
  await runner.idle();
  const items = runner.collected('host-scans');
  assert.equal(items.length, 64);
  assert.deepEqual(
    items.map((i) => i.value.index),
    [...Array(64).keys()],
  );
  assert.deepEqual(
    items.map((i) => i.key),
    items.map((i) => i.value.address),
  );
  assert.equal(new Set(seen).size, 64);
  assert.equal(seen.length, 64);
  const chunks = runner.collected('discovery-progress').filter((p) => p.value.kind === 'EXPANDED');
  assert.deepEqual(
    chunks.map((c) => [c.value.chunk, c.value.items, c.value.final]),
    [
      [0, 16, false],
      [1, 16, false],
      [2, 16, false],
      [3, 16, true],
    ],
  );
  assert.deepEqual(
    runner.collected('assets').map((a) => a.value.value),
    ['198.18.0.1', '198.18.0.2'],
  );
  // The live hosts' round trips travel with their HOST_DONE: how the other copies learn the timeout.
  const answered = runner.collected('discovery-progress').filter((p) => p.value.kind === 'HOST_DONE' && p.value.rttMs);
  assert.deepEqual(
    answered.map((p) => [p.value.address, p.value.rttMs]),
    [
      ['198.18.0.1', 1],
      ['198.18.0.2', 1],
    ],
  );
  const completed = runner.collected('job-status').filter((s) => s.value.state === 'COMPLETED');
  assert.equal(completed.length, 1);
  const event = readJobEvent(completed[0]!.value);
  assert.deepEqual(event?.type === 'hosts' && event.counts, {
    addresses: 64,
    done: 64,
    up: 2,
    down: 62,
    failed: 0,
    assets: 2,
    openPorts: 2,
    unresolved: 0,
  });
  assert.equal(runner.deadLetters.length, 0);
  assert.deepEqual(
    runner.pendingTimers('asm_discovery').map((t) => t.id),
    ['forget'],
  );
  await runner.stop();
});

test('names become DOMAIN assets and items with their name; an address a range covers is scanned once', async () => {
  const names = { 'a.example': ['198.18.0.1', '198.18.5.5'], 'b.example': ['198.18.6.6'] };
  const runner = pipeline(discoveryDeps(1024, names), hostDeps([1, 5, 6]));
  const request = discoveryRequest(['a.example', '198.18.0.0/30', 'b.example', 'nx.example'], {
    scope: null,
    profile: 'fast',
    ports: null,
    requestId: 'r2',
  });
  runner.publish('discovery-requests', 'r2', request);
  await runner.idle();
  const items = runner.collected('host-scans').map((i) => `${i.value.index} ${i.value.address} ${i.value.hostname}`);
  assert.deepEqual(items, [
    '0 198.18.0.0 null',
    '1 198.18.0.1 null',
    '2 198.18.0.2 null',
    '3 198.18.0.3 null',
    '4 198.18.5.5 a.example',
    '5 198.18.6.6 b.example',
  ]);
  const assets = runner.collected('assets').map((a) => `${a.value.kind} ${a.value.value} ${a.value.resolvedFrom}`);
  assert.deepEqual(assets.sort(), [
    'DOMAIN a.example null',
    'DOMAIN b.example null',
    'IP 198.18.0.1 null',
    'IP 198.18.5.5 a.example',
    'IP 198.18.6.6 b.example',
  ]);
  const done = readJobEvent(runner.collected('job-status').find((s) => s.value.state === 'COMPLETED')!.value);
  assert.equal(done?.type === 'hosts' && done.counts.unresolved, 1);
  assert.equal(done?.type === 'hosts' && done.counts.assets, 5);
  await runner.stop();
});

test('a host refused when it runs is dead-lettered and counted as failed; the request still completes', async () => {
  const runner = pipeline(discoveryDeps(4), hostDeps([1], [2]));
  runner.publish(
    'discovery-requests',
    'r3',
    discoveryRequest(['198.18.0.0/29'], { scope: null, profile: 'fast', ports: null, requestId: 'r3' }),
  );
  await runner.idle();
  assert.deepEqual(
    runner.deadLetters.map((d) => `${d.topic} ${d.error.code}`),
    ['host-scans.dlq TARGET_OUT_OF_SCOPE'],
  );
  const completed = runner.collected('job-status').filter((s) => s.value.state === 'COMPLETED');
  assert.equal(completed.length, 1);
  assert.deepEqual(completed[0]?.value.counts, {
    addresses: 8,
    done: 8,
    up: 1,
    down: 6,
    failed: 1,
    assets: 1,
    openPorts: 1,
    unresolved: 0,
  });
  await runner.stop();
});

test('a request with a target out of scope is refused whole, before any item', async () => {
  const runner = pipeline(discoveryDeps(4), hostDeps([]));
  runner.publish(
    'discovery-requests',
    'r4',
    discoveryRequest(['198.18.0.0/29', '169.254.169.254'], {
      scope: null,
      profile: 'fast',
      ports: null,
      requestId: 'r4',
    }),
  );
  await runner.idle();
  assert.equal(runner.collected('host-scans').length, 0);
  assert.deepEqual(
    runner.collected('job-status').map((s) => `${s.value.stage} ${s.value.state} ${s.value.errorCode}`),
    ['asm_discovery FAILED TARGET_OUT_OF_SCOPE'],
  );
  await runner.stop();
});
