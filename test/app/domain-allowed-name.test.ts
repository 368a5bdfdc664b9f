// Issue: with a domain-only allow-list (SCOPE_ALLOW=allowed.test), an in-scope name resolved and then its address
// was refused without its name ("not in the operator allow-list"), so domain allow rules never scanned anything.
// An address reached through an allowed name is scanned, end to end (discovery, host scan, scan trigger, the checks
// scanner); a name forged onto an address it does not resolve to admits nothing. DNS: a server on loopback.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import pino from 'pino';
import { oneShotScan } from '../../src/app/one-shot-scan.ts';
import { loadConfig } from '../../src/config/load.ts';
import { createDnsClient } from '../../src/scanners/dns/dns-client.ts';
import { parseAddress } from '../../src/scanners/scope/address.ts';
import { operatorPolicy } from '../../src/scanners/scope/policy.ts';
import { checkReachedAddress } from '../../src/scanners/scope/resolve.ts';
import { dnsServer } from '../helpers/dns-server.ts';
import { tcpServer } from '../helpers/servers.ts';

test('a name under a domain-only allow-list is scanned at the address it resolves to', async () => {
  const dns = await dnsServer([{ type: 'A', name: 'svc.allowed.test', ttl: 60, data: '127.0.0.1' }]);
  const listener = await tcpServer((socket) => socket.end('SSH-2.0-OpenSSH_9.2p1 Debian-2\r\n'));
  try {
    const config = loadConfig({ SCOPE_ALLOW: 'allowed.test', DNS_RESOLVER: dns.server, LOG_LEVEL: 'silent' });
    const result = await oneShotScan(config, 'svc.allowed.test', {
      profile: 'default',
      ports: String(listener.port),
      logger: pino({ level: 'silent' }),
      signal: new AbortController().signal,
    });
    const ports = result.findings.filter((f) => f.asset.port === listener.port);
    assert.ok(ports.length > 0, `findings: ${JSON.stringify(result.findings.map((f) => f.title))}`);
    assert.equal(ports[0]?.asset.ip, '127.0.0.1');
  } finally {
    await listener.close();
    dns.close();
  }
});

test('a name that does not resolve to the address admits nothing; the deny rules of a name always apply', async () => {
  const dns = await dnsServer([{ type: 'A', name: 'svc.allowed.test', ttl: 60, data: '127.0.0.2' }]);
  try {
    const resolver = createDnsClient({ server: dns.server });
    const policy = operatorPolicy({
      allow: ['allowed.test'],
      deny: ['bad.allowed.test'],
      allowMetadata: false,
      maxAddresses: 16,
    });
    const address = parseAddress('127.0.0.1')!;
    await assert.rejects(checkReachedAddress(policy, address, 'svc.allowed.test', resolver), /does not resolve to it/);
    await assert.rejects(checkReachedAddress(policy, address, 'bad.allowed.test', resolver), /deny-list/);
    await assert.rejects(checkReachedAddress(policy, address, null, resolver), /not in the operator allow-list/);
    await checkReachedAddress(policy, parseAddress('127.0.0.2')!, 'svc.allowed.test', resolver);
    assert.deepEqual(
      dns.queries.filter((q) => q.includes('bad.')),
      [],
      'a denied name costs no DNS query',
    );
  } finally {
    dns.close();
  }
});
