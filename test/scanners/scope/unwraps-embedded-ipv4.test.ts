// IPv6 addresses that carry an IPv4 address are judged by that IPv4 too (built-in ranges, deny-lists), as an
// address, as a DNS answer and inside a CIDR; the allow-lists admit by the address as written.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  addressesOf,
  formatAddress,
  formatNetwork,
  parseAddress,
  parseNetwork,
  type Address,
} from '../../../src/scanners/scope/address.ts';
import { embeddedIPv4, embeddedIPv4Networks, EMBEDDINGS } from '../../../src/scanners/scope/embedded-ipv4.ts';
import {
  checkAddress,
  checkNetwork,
  isAddressAllowed,
  operatorPolicy,
  type OperatorScope,
} from '../../../src/scanners/scope/policy.ts';
import { scopeLiteral } from '../../../src/scanners/scope/resolve.ts';
import { parseTarget } from '../../../src/scanners/scope/target.ts';
import { planExpansion } from '../../../src/discovery/expansion-plan.ts';
import { expandRange } from '../../../src/discovery/expand-range.ts';

const policyOf = (o: Partial<OperatorScope> = {}) =>
  operatorPolicy({ allow: [], deny: [], allowMetadata: false, maxAddresses: 65_536, ...o });
const address = (text: string): Address => {
  const a = parseAddress(text);
  assert.ok(a, text);
  return a;
};
const carried = (text: string) => embeddedIPv4(address(text)).map((e) => `${e.form} ${formatAddress(e.address)}`);

test('each form yields the IPv4 it carries (RFC 4380 and RFC 6052 examples)', () => {
  assert.deepEqual(carried('::169.254.169.254'), ['IPv4-compatible 169.254.169.254']);
  assert.deepEqual(carried('::ffff:0:a9fe:a9fe'), ['IPv4-translated 169.254.169.254']);
  assert.deepEqual(carried('64:ff9b::192.0.2.33'), ['NAT64 192.0.2.33']);
  assert.deepEqual(carried('2002:c000:221::1'), ['6to4 192.0.2.33']);
  // RFC 4380 §4: server 65.54.227.120 (not on the data path), client 192.0.2.45 stored inverted.
  assert.deepEqual(carried('2001:0:4136:e378:8000:63bf:3fff:fdd2'), ['Teredo 192.0.2.45']);
  // RFC 6052 §2.4's layouts of 192.0.2.33 under a /48, /56, /64 and /96 local-use prefix (64:ff9b:1::/48).
  for (const spelling of [
    '64:ff9b:1:c000:2:2100::',
    '64:ff9b:1:c0:0:221::',
    '64:ff9b:1:0:c0:2:2100:0',
    '64:ff9b:1::c000:221',
  ]) {
    const found = carried(spelling);
    assert.equal(found.length, 4, spelling);
    assert.ok(found.includes('local-use NAT64 192.0.2.33'), `${spelling}: ${found.join(', ')}`);
  }
});

test('plain addresses, ::1 and :: carry nothing; the mapped form is folded to IPv4 before', () => {
  for (const text of ['::1', '::', '2001:db8::1', 'fe80::1', '127.0.0.1', '::ffff:127.0.0.1'])
    assert.deepEqual(carried(text), [], text);
});

const METADATA_FORMS = [
  '::169.254.169.254',
  '::a9fe:a9fe',
  '::ffff:0:169.254.169.254',
  '64:ff9b::a9fe:a9fe',
  '64:ff9b:1::a9fe:a9fe',
  '64:ff9b:1:a9fe:a9:fe00::',
  '64:ff9b:1:a9:fe:a9fe::',
  '64:ff9b:1::a9:fea9:fe00:0',
  '2002:a9fe:a9fe::1',
  '2002:a9fe:a9fe:ffff:ffff:ffff:ffff:ffff',
  '2001:0:4136:e378:8000:63bf:5601:5601',
  '2001::5601:5601',
];

test('the metadata address in every embedded form is out of scope, and the message names the form', () => {
  for (const text of METADATA_FORMS) {
    assert.throws(
      () => checkAddress(policyOf(), address(text)),
      (error: Error & { code?: string }) => {
        assert.equal(error.code, 'TARGET_OUT_OF_SCOPE', text);
        assert.match(error.message, /carries 169\.254\.169\.254 \(.+\): cloud-metadata/, text);
        return true;
      },
    );
    assert.equal(isAddressAllowed(policyOf({ allowMetadata: true }), address(text)), true, text);
  }
});

test('deny-lists and the built-in ranges judge the embedded IPv4; allow-lists the address as written', () => {
  const deny = policyOf({ deny: ['10.0.0.0/8'] });
  for (const text of ['64:ff9b::a01:203', '::10.1.2.3', '2002:a01:203::1', '::ffff:0:10.1.2.3'])
    assert.throws(() => checkAddress(deny, address(text)), /carries 10\.1\.2\.3 .*operator deny-list/, text);
  assert.throws(() => checkAddress(policyOf(), address('64:ff9b::e000:1')), /carries 224\.0\.0\.1.*multicast/);
  assert.throws(() => checkAddress(policyOf(), address('::2')), /carries 0\.0\.0\.2.*reserved/);
  // Where the layout is uncertain (local-use NAT64), the reserved-range rule does not read the other layouts.
  assert.equal(isAddressAllowed(policyOf(), address('64:ff9b:1::c000:221')), true);
  assert.equal(isAddressAllowed(policyOf(), address('64:ff9b:1:c000:2:2100::')), true);
  // An IPv4 allow-list does not admit the IPv6 spellings of its addresses (a NAT64 path is another route)…
  const allow4 = policyOf({ allow: ['10.0.0.0/8'] });
  assert.throws(() => checkAddress(allow4, address('64:ff9b::a01:203')), /not in the operator allow-list/);
  // …and an IPv6 allow-list admits its addresses only where the IPv4 inside is not refused.
  const allow6 = policyOf({ allow: ['64:ff9b::/96'], deny: ['10.0.0.0/8'] });
  assert.equal(isAddressAllowed(allow6, address('64:ff9b::c000:221')), true);
  assert.equal(isAddressAllowed(allow6, address('64:ff9b::a01:203')), false);
  assert.equal(isAddressAllowed(allow6, address('64:ff9b::a9fe:a9fe')), false);
});

test('`loopback` covers 127.0.0.0/8, ::1 and their embedded spellings; 127.0.0.0/8 alone does not cover ::1', () => {
  const loopback = policyOf({ deny: ['loopback'] });
  for (const text of [
    '127.0.0.1',
    '127.1',
    '::1',
    '::ffff:127.0.0.1',
    '::127.0.0.1',
    '64:ff9b::7f00:1',
    '2002:7f00:1::',
  ])
    assert.equal(isAddressAllowed(loopback, address(text)), false, text);
  const v4only = policyOf({ deny: ['127.0.0.0/8'] });
  assert.equal(isAddressAllowed(v4only, address('::1')), true);
  assert.equal(isAddressAllowed(v4only, address('::127.0.0.1')), false);
  const allowed = policyOf({ allow: ['LOOPBACK'] });
  assert.equal(isAddressAllowed(allowed, address('::1')), true);
  assert.equal(isAddressAllowed(allowed, address('127.0.0.9')), true);
  assert.equal(isAddressAllowed(allowed, address('10.0.0.1')), false);
});

test("a network's embedded IPv4 network is exactly the set its addresses carry (every form and layout)", () => {
  const samples = [
    '::a9fe:a900/120',
    '::ffff:0:a9fe:a900/124',
    '64:ff9b::c000:200/121',
    '64:ff9b:1:c000:2:2100::/120',
    '64:ff9b:1::c000:200/122',
    '2002:c000:221::/112',
    '2001:0:4136:e378:8000:63bf:3fff:fd00/120',
    '2001:0:4136:e378:8000:63bf:3fff:fdd2/128',
  ];
  for (const text of samples) {
    const net = parseNetwork(text);
    assert.ok(net, text);
    const predicted = embeddedIPv4Networks(net);
    assert.ok(predicted.length > 0, text);
    predicted.forEach((p, layout) => {
      const seen = new Set<string>();
      for (const a of addressesOf(net)) seen.add(formatAddress(embeddedIPv4(a)[layout]!.address));
      const expected = new Set([...addressesOf(p.network)].map(formatAddress));
      assert.deepEqual(seen, expected, `${text} layout ${layout}: ${formatNetwork(p.network)}`);
    });
  }
  assert.equal(EMBEDDINGS.length, 7);
});

test('a CIDR whose addresses all carry a refused IPv4 is refused at once, before any expansion', () => {
  const deny = policyOf({ deny: ['10.0.0.0/30'] });
  for (const [text, policy, reason] of [
    ['64:ff9b::a9fe:0/112', policyOf(), /carry 169\.254\.0\.0\/16 \(NAT64\): cloud-metadata/],
    ['::a9fe:a900/120', policyOf(), /carry 169\.254\.169\.0\/24 \(IPv4-compatible\)/],
    ['2002:a9fe:a9fe::/112', policyOf(), /carry 169\.254\.169\.254\/32 \(6to4\)/],
    ['2001:0:4136:e378:8000:63bf:5601:5600/120', policyOf(), /carry 169\.254\.169\.0\/24 \(Teredo\)/],
    ['64:ff9b:1:a9fe:a9:fe00::/120', policyOf(), /local-use NAT64/],
    ['64:ff9b::a00:0/126', deny, /carry 10\.0\.0\.0\/30 \(NAT64\): denied by the operator deny-list/],
    ['64:ff9b::e000:0/120', policyOf(), /multicast/],
  ] as const) {
    const net = parseNetwork(text);
    assert.ok(net, text);
    assert.throws(() => checkNetwork(policy, net), reason, text);
  }
});

test('a CIDR that only partly carries refused addresses expands without them, on every path', () => {
  const policy = policyOf({ deny: ['10.0.0.0/30'] });
  const expected = ['64:ff9b::a00:4', '64:ff9b::a00:5', '64:ff9b::a00:6', '64:ff9b::a00:7'];
  // The one-shot scan's and scanners' path…
  const target = parseTarget('64:ff9b::10.0.0.0/125');
  assert.deepEqual(
    scopeLiteral(policy, target).map((h) => h.address),
    expected,
  );
  // …and asm_discovery's (planned ranges expanded in chunks).
  const [unit] = planExpansion(['64:ff9b::10.0.0.0/125'], policy);
  assert.ok(unit?.kind === 'range');
  const step = expandRange(unit, { unit: 0, offset: 0n }, 100, policy);
  assert.deepEqual(step.addresses, expected);
  assert.equal(step.skipped, 4);
  // A range holding ::1 is not refused as a whole (::1 carries nothing); its other addresses are.
  assert.deepEqual(
    scopeLiteral(policyOf(), parseTarget('::/126')).map((h) => h.address),
    ['::1'],
  );
  // Half of 169.254.0.0/15 is metadata: none of its 65,536 NAT64 spellings is expanded.
  const wide = policyOf({ maxAddresses: 131_072 });
  const [half] = planExpansion(['64:ff9b::a9fe:0/111'], wide);
  assert.ok(half?.kind === 'range');
  const all = expandRange(half, { unit: 0, offset: 0n }, 200_000, wide);
  assert.equal(all.addresses.length, 65_536);
  assert.equal(all.skipped, 65_536);
  assert.ok(all.addresses.every((a) => a.startsWith('64:ff9b::a9ff:')));
});
