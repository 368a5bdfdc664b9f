import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadConfig } from '../../src/config/load.ts';
import { createWiring } from '../../src/wiring/wiring.ts';

test('every scanner context of a wiring resolves through its one DNS client (host_scan makes one per address)', async () => {
  const w = createWiring(loadConfig({ DNS_RESOLVER: '127.0.0.1:9' }));
  const signal = new AbortController().signal;
  const context = await w.contexts();
  assert.equal(await w.contexts(), context, 'the maker is made once');
  const a = context(signal);
  const b = context(signal);
  assert.equal(a.resolver, w.dns);
  assert.equal(b.resolver, w.dns);
});

test('a resolver given to the wiring (a test door) is what its contexts use', async () => {
  const resolver = { resolveHost: () => Promise.resolve(['192.0.2.1']) };
  const w = createWiring(loadConfig({}), { resolver });
  assert.equal((await w.contexts())(new AbortController().signal).resolver, resolver);
});
