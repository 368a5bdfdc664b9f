// Issue 13: a name whose answers are out of scope is refused as a whole, whatever form the answer takes (mapped,
// IPv4-compatible, NAT64, 6to4, Teredo, link-local, through a CNAME, one bad answer among good ones): by the
// one-shot scan before any stage starts (exit 2), and by asm_discovery's expansion of the name (no host item). The
// answers come from a DNS server the test starts on loopback; nothing else is asked and nothing is connected to.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { oneShotScan } from '../../src/app/one-shot-scan.ts';
import { exitCodeOf } from '../../src/cli/exit.ts';
import { loadConfig } from '../../src/config/load.ts';
import { nameExpansion } from '../../src/engines/name-expansion.ts';
import { isAsmvsError } from '../../src/errors.ts';
import { scannerContext } from '../../src/scanners/index.ts';
import { createDnsClient } from '../../src/scanners/dns/dns-client.ts';
import { operatorPolicy } from '../../src/scanners/scope/policy.ts';
import { dnsServer } from '../helpers/dns-server.ts';
import { DNS_ANSWERS, type DnsProbe } from '../helpers/hostile-inputs.ts';
import { spyIo } from '../helpers/spy-io.ts';
import { silent } from '../helpers/runtime-settings.ts';
import { spyEndpoints, type SpyEndpoints } from '../helpers/spy-endpoints.ts';

let zone: Awaited<ReturnType<typeof dnsServer>>;
let spies: SpyEndpoints;
before(async () => {
  zone = await dnsServer(DNS_ANSWERS.flatMap((p) => p.records));
  spies = await spyEndpoints();
});
after(async () => {
  zone.close();
  await spies.close();
});

const configOf = (probe: DnsProbe) => loadConfig({ ...spies.env, DNS_RESOLVER: zone.server, ...probe.settings });

/** Only the name (and the CNAME's target) may be asked about; nothing else may be sent. */
function checkQuiet(probe: DnsProbe, calls: readonly string[], problems: string[]): void {
  const names = new Set(probe.records.map((r) => r.name));
  const stray = zone.queries.filter((q) => !names.has(q.split(' ')[1] ?? ''));
  if (calls.length > 0 || stray.length > 0 || spies.seen().length > 0)
    problems.push(`${probe.name}: sent ${[...calls, ...stray, ...spies.seen()].join('; ')}`);
  if (!zone.queries.some((q) => q.endsWith(` ${probe.name}`))) problems.push(`${probe.name}: never resolved`);
  zone.queries.length = 0;
  spies.tcp.length = 0;
  spies.http.length = 0;
}

test(`scan (one-shot): ${DNS_ANSWERS.length} names with out-of-scope answers exit 2 before any stage starts`, async () => {
  const problems: string[] = [];
  for (const probe of DNS_ANSWERS) {
    const io = spyIo();
    const error = await oneShotScan(configOf(probe), probe.name, {
      profile: 'fast',
      logger: silent,
      signal: new AbortController().signal,
      io,
    }).then(
      () => undefined,
      (e: unknown) => e,
    );
    if (!isAsmvsError(error) || error.code !== 'TARGET_OUT_OF_SCOPE' || exitCodeOf(error) !== 2)
      problems.push(`${probe.name}: ${String(error)}`);
    checkQuiet(probe, io.calls, problems);
  }
  assert.deepEqual(problems, []);
});

test(`asm_discovery: ${DNS_ANSWERS.length} such names expand to no host item and count as refused`, async () => {
  const problems: string[] = [];
  for (const probe of DNS_ANSWERS) {
    const io = spyIo();
    const config = configOf(probe);
    const expand = nameExpansion({
      context: (signal) => scannerContext(config, { signal, io }),
      dns: createDnsClient({ server: zone.server }),
    });
    const found = await expand(probe.name, {
      policy: operatorPolicy(config.scope),
      subdomains: true,
      signal: new AbortController().signal,
    });
    if (!found.refused || found.hosts.length > 0 || found.domains.length > 0)
      problems.push(`${probe.name}: ${JSON.stringify(found.hosts)}`);
    checkQuiet(probe, io.calls, problems);
  }
  assert.deepEqual(problems, []);
});
