// DNS against a server the test starts on loopback: nothing goes to a real resolver.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createDnsClient } from '../../../src/scanners/dns/dns-client.ts';
import { enumerateSubdomains } from '../../../src/scanners/dns/subdomains.ts';
import { scopeTarget } from '../../../src/scanners/scope/resolve.ts';
import { operatorPolicy } from '../../../src/scanners/scope/policy.ts';
import { dnsServer } from '../../helpers/dns-server.ts';

let server: Awaited<ReturnType<typeof dnsServer>>;

before(async () => {
  server = await dnsServer(
    [
      { type: 'A', name: 'example.test', ttl: 300, data: '127.0.0.10' },
      { type: 'AAAA', name: 'example.test', ttl: 300, data: '::1' },
      { type: 'MX', name: 'example.test', ttl: 300, data: { preference: 10, exchange: 'mail.example.test' } },
      { type: 'NS', name: 'example.test', ttl: 300, data: 'ns1.example.test' },
      { type: 'TXT', name: 'example.test', ttl: 300, data: ['v=spf1 -all'] },
      { type: 'CNAME', name: 'www.example.test', ttl: 300, data: 'example.test' },
      { type: 'A', name: 'api.example.test', ttl: 300, data: '127.0.0.11' },
      { type: 'A', name: 'meta.example.test', ttl: 300, data: '169.254.169.254' },
      { type: 'PTR', name: '10.0.0.127.in-addr.arpa', ttl: 300, data: 'example.test' },
      { type: 'A', name: 'real.wild.test', ttl: 300, data: '127.0.0.5' },
    ],
    { 'wild.test': '127.0.0.99' },
  );
});

after(() => server.close());

test('A, AAAA, MX, NS, TXT records from the configured resolver', async () => {
  const dns = createDnsClient({ server: server.server, timeoutMs: 1000, tries: 1 });
  const records = await dns.records('example.test');
  const byType = (t: string) => records.filter((r) => r.type === t).map((r) => r.value);
  assert.deepEqual(byType('A'), ['127.0.0.10']);
  assert.deepEqual(byType('AAAA'), ['::1']);
  assert.deepEqual(byType('MX'), ['10 mail.example.test']);
  assert.deepEqual(byType('NS'), ['ns1.example.test']);
  assert.deepEqual(byType('TXT'), ['v=spf1 -all']);
  assert.equal(records.find((r) => r.type === 'A')?.ttl, 300);
  assert.deepEqual(
    (await dns.records('www.example.test')).filter((r) => r.type === 'CNAME').map((r) => r.value),
    ['example.test'],
  );
});

test('reverse lookup and missing names', async () => {
  const dns = createDnsClient({ server: server.server, timeoutMs: 1000, tries: 1 });
  assert.deepEqual(await dns.reverse('127.0.0.10'), ['example.test']);
  await assert.rejects(dns.resolveHost('nope.example.test'), { code: 'DNS_NOT_FOUND' });
});

test('a hostname is resolved once through the resolver and its answer is scope-checked', async () => {
  const dns = createDnsClient({ server: server.server, timeoutMs: 1000, tries: 1 });
  const policy = operatorPolicy({ allow: [], deny: [], allowMetadata: false, maxAddresses: 256 });
  const before = server.queries.length;
  const scoped = await scopeTarget(policy, 'API.example.test.', dns);
  assert.deepEqual(
    scoped.hosts.map((h) => h.address),
    ['127.0.0.11'],
  );
  assert.deepEqual(server.queries.slice(before).sort(), ['A api.example.test', 'AAAA api.example.test']);
  await assert.rejects(scopeTarget(policy, 'meta.example.test', dns), { code: 'TARGET_OUT_OF_SCOPE' });
});

test('subdomain enumeration finds real names and ignores wildcard answers', async () => {
  const dns = createDnsClient({ server: server.server, timeoutMs: 1000, tries: 1 });
  const plain = await enumerateSubdomains('example.test', dns, { words: ['www', 'api', 'nothere'] });
  assert.equal(plain.wildcard, false);
  assert.deepEqual(plain.found.map((f) => f.name).sort(), ['api.example.test', 'www.example.test']);
  const wild = await enumerateSubdomains('wild.test', dns, { words: ['www', 'real', 'mail'] });
  assert.equal(wild.wildcard, true);
  assert.deepEqual(wild.wildcardAddresses, ['127.0.0.99']);
  assert.deepEqual(wild.found, [{ name: 'real.wild.test', addresses: ['127.0.0.5'] }]);
});
