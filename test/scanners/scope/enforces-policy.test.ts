import { test } from 'node:test';
import assert from 'node:assert/strict';
import { operatorPolicy, narrowPolicy, type ScopePolicy } from '../../../src/scanners/scope/policy.ts';
import { scopeTarget, type HostResolver } from '../../../src/scanners/scope/resolve.ts';
import { AsmvsError } from '../../../src/errors.ts';

const open = operatorPolicy({ allow: [], deny: [], allowMetadata: false, maxAddresses: 65_536 });

function resolverOf(zone: Record<string, string[]>): HostResolver & { queries: string[] } {
  const queries: string[] = [];
  return {
    queries,
    async resolveHost(name) {
      queries.push(name);
      const answer = zone[name];
      if (!answer) throw new AsmvsError('DNS_NOT_FOUND', name);
      return answer;
    },
  };
}

async function rejects(policy: ScopePolicy, target: string, code: string, reason?: RegExp): Promise<void> {
  const resolver = resolverOf({});
  await assert.rejects(scopeTarget(policy, target, resolver), (error: unknown) => {
    assert.ok(error instanceof AsmvsError);
    assert.equal(error.code, code, `${target}: ${error.message}`);
    assert.equal(error.retryable, false);
    if (reason) assert.match(error.message, reason);
    return true;
  });
  assert.deepEqual(resolver.queries, [], 'no DNS query for a rejected literal');
}

test('metadata in every spelling is out of scope by default', async () => {
  for (const t of [
    '169.254.169.254',
    '2852039166',
    '0xa9fea9fe',
    '0251.0376.0251.0376',
    '::ffff:169.254.169.254',
    '[::ffff:a9fe:a9fe]',
    '64:ff9b::a9fe:a9fe',
    'http://0xa9fea9fe/latest/meta-data/',
    'fe80::1',
    'fd00:ec2::254',
    '100.100.100.200',
  ]) {
    await rejects(open, t, 'TARGET_OUT_OF_SCOPE', /metadata or link-local/);
  }
});

test('metadata allowed only when the operator says so', async () => {
  const policy = operatorPolicy({ allow: [], deny: [], allowMetadata: true, maxAddresses: 65_536 });
  const scoped = await scopeTarget(policy, '0xa9fea9fe', resolverOf({}));
  assert.equal(scoped.hosts[0]?.address, '169.254.169.254');
});

test('unspecified, multicast and broadcast are never scanned', async () => {
  for (const t of ['0.0.0.0', '0', '224.0.0.1', '255.255.255.255', '::', 'ff02::1'])
    await rejects(open, t, 'TARGET_OUT_OF_SCOPE');
});

test('CIDR over the cap is TARGET_TOO_LARGE before expansion', async () => {
  await rejects(open, '10.0.0.0/8', 'TARGET_TOO_LARGE', /16777216 addresses, more than the cap of 65536/);
  await rejects(open, '::/0', 'TARGET_TOO_LARGE');
});

test('operator deny-list wins; operator allow-list bounds; request only narrows', async () => {
  const policy = operatorPolicy({
    allow: ['127.0.0.0/8', 'example.test'],
    deny: ['127.0.0.2', 'bad.example.test'],
    allowMetadata: false,
    maxAddresses: 256,
  });
  await rejects(policy, '127.0.0.2', 'TARGET_OUT_OF_SCOPE', /operator deny-list/);
  await rejects(policy, '10.1.2.3', 'TARGET_OUT_OF_SCOPE', /not in the operator allow-list/);
  const ok = await scopeTarget(policy, '127.1', resolverOf({}));
  assert.equal(ok.hosts[0]?.address, '127.0.0.1');

  const widened = narrowPolicy(policy, { allow: ['10.0.0.0/8'], deny: [] });
  await rejects(widened, '10.1.2.3', 'TARGET_OUT_OF_SCOPE', /operator allow-list/);
  await rejects(widened, '127.0.0.1', 'TARGET_OUT_OF_SCOPE', /request allow-list/);

  const narrowed = narrowPolicy(policy, { allow: [], deny: ['127.0.0.5/32'] });
  await rejects(narrowed, '127.0.0.5', 'TARGET_OUT_OF_SCOPE', /request deny-list/);
});

test('a CIDR is expanded without its denied addresses, and must lie inside the allow-list', async () => {
  const policy = operatorPolicy({
    allow: ['127.0.0.0/8'],
    deny: ['127.0.0.2'],
    allowMetadata: false,
    maxAddresses: 256,
  });
  const scoped = await scopeTarget(policy, '127.0.0.0/30', resolverOf({}));
  assert.deepEqual(
    scoped.hosts.map((h) => h.address),
    ['127.0.0.0', '127.0.0.1', '127.0.0.3'],
  );
  await rejects(policy, '128.0.0.0/24', 'TARGET_OUT_OF_SCOPE', /allow-list/);
});

test('a hostname is resolved once and every answer is checked', async () => {
  const zone = { 'app.example.test': ['127.0.0.1'], 'evil.example.test': ['127.0.0.1', '169.254.169.254'] };
  const resolver = resolverOf(zone);
  const scoped = await scopeTarget(open, 'APP.example.test.', resolver);
  assert.deepEqual(scoped.hosts, [{ address: '127.0.0.1', family: 4, hostname: 'app.example.test' }]);
  assert.deepEqual(resolver.queries, ['app.example.test']);
  await assert.rejects(scopeTarget(open, 'evil.example.test', resolverOf(zone)), /metadata/);
});

test('denied and metadata names cost no DNS query', async () => {
  const policy = operatorPolicy({ allow: [], deny: ['corp.example'], allowMetadata: false, maxAddresses: 256 });
  await rejects(policy, 'db.corp.example', 'TARGET_OUT_OF_SCOPE', /operator deny-list/);
  await rejects(policy, 'metadata.google.internal', 'TARGET_OUT_OF_SCOPE', /metadata hostname/);
});

test('a bad operator entry is CONFIG_INVALID; a bad request entry is TARGET_INVALID', () => {
  assert.throws(() => operatorPolicy({ allow: ['10.0.0.0/99'], deny: [], allowMetadata: false, maxAddresses: 1 }), {
    code: 'CONFIG_INVALID',
  });
  assert.throws(() => narrowPolicy(open, { allow: ['; rm'], deny: [] }), { code: 'TARGET_INVALID' });
});

test('a name outside an allow-list of domains alone costs no DNS query; with networks in the list, it is resolved', async () => {
  const domains = operatorPolicy({ allow: ['example.test'], deny: [], allowMetadata: false, maxAddresses: 256 });
  for (const name of ['other.test', 'example.test.evil.test', 'notexample.test', 'http://other.test/'])
    await rejects(domains, name, 'TARGET_OUT_OF_SCOPE', /not in the operator allow-list/);
  const request = narrowPolicy(open, { allow: ['example.test'], deny: [] });
  await rejects(request, 'other.test', 'TARGET_OUT_OF_SCOPE', /not in the request allow-list/);
  const mixed = operatorPolicy({
    allow: ['example.test', '127.0.0.0/8'],
    deny: [],
    allowMetadata: false,
    maxAddresses: 1,
  });
  const resolver = resolverOf({ 'other.test': ['127.0.0.1'], 'app.example.test': ['10.0.0.1'] });
  assert.equal((await scopeTarget(mixed, 'other.test', resolver)).hosts[0]?.address, '127.0.0.1');
  assert.equal((await scopeTarget(domains, 'app.example.test', resolver)).hosts[0]?.address, '10.0.0.1');
  assert.deepEqual(resolver.queries, ['other.test', 'app.example.test']);
});
