// Issue 13: a host item is checked again when host_scan runs it (it may run long after its request, or be replayed
// under a changed policy): an item for a metadata address in any form, an address the operator denies now, a
// request scope that refuses it, a name forged onto it or a malformed item is refused by the engine before any ping,
// connect or reverse lookup. The engine runs with spy I/O and a DNS server on loopback.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { loadConfig } from '../../src/config/load.ts';
import { builtinHostScan } from '../../src/engines/builtin-host-scan.ts';
import { hostScanLimits } from '../../src/engines/host-scan-limits.ts';
import { isAsmvsError } from '../../src/errors.ts';
import type { HostScan } from '../../src/schemas/types.gen.ts';
import { scannerContext } from '../../src/scanners/index.ts';
import { createDnsClient } from '../../src/scanners/dns/dns-client.ts';
import { requestTimings } from '../../src/scanners/tcp/request-timings.ts';
import { producerOf } from '../../src/version.ts';
import { dnsServer } from '../helpers/dns-server.ts';
import { HOST_ITEMS, type HostItemProbe } from '../helpers/hostile-inputs.ts';
import { spyIo } from '../helpers/spy-io.ts';

let zone: Awaited<ReturnType<typeof dnsServer>>;
before(async () => {
  zone = await dnsServer([{ type: 'A', name: 'svc.allowed.test', ttl: 60, data: '127.0.0.2' }]);
});
after(() => zone.close());

function itemOf(probe: HostItemProbe): HostScan {
  return {
    eventId: 'e',
    requestId: 'r',
    producedAt: 0,
    producer: producerOf('asm_discovery'),
    hostname: null,
    index: 0,
    ports: '80',
    profile: 'fast',
    ping: null,
    limits: null,
    scope: null,
    reverseDns: true,
    scanAfterDiscovery: true,
    organizationId: null,
    labels: {},
    ...probe.item,
  };
}

test(`host_scan: ${HOST_ITEMS.length} items refused when they run, with no ping, connect or reverse lookup`, async () => {
  const problems: string[] = [];
  for (const probe of HOST_ITEMS) {
    const io = spyIo();
    const config = loadConfig({ DNS_RESOLVER: zone.server, ...probe.settings });
    const scan = builtinHostScan({
      context: (signal) => scannerContext(config, { signal, io }),
      dns: createDnsClient({ server: zone.server }),
      limits: hostScanLimits({ connectionsInFlight: 8, connectionsPerSecond: 0 }),
      timings: requestTimings({ initialMs: 100, minMs: 10, maxMs: 1_000 }),
      pingPorts: [80],
      hostTimeoutMs: 10_000,
    });
    const shown = JSON.stringify(probe.item);
    const error = await scan(itemOf(probe), new AbortController().signal).then(
      () => undefined,
      (e: unknown) => e,
    );
    if (!isAsmvsError(error) || error.code !== probe.code || error.retryable)
      problems.push(`${shown}: ${String(error)} instead of ${probe.code}`);
    if (io.calls.length > 0) problems.push(`${shown}: ${io.calls.join('; ')}`);
    if (zone.queries.length !== (probe.dnsQueries ?? 0)) problems.push(`${shown}: DNS ${zone.queries.join('; ')}`);
    zone.queries.length = 0;
  }
  assert.deepEqual(problems, []);
});
