import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatAddress, parseAddress, parseNetwork, formatNetwork } from '../../../src/scanners/scope/address.ts';
import { canonicalHostname } from '../../../src/scanners/scope/hostname.ts';

const canon = (text: string) => {
  const a = parseAddress(text);
  return a ? formatAddress(a) : null;
};

test('every IPv4 spelling of 169.254.169.254 has one canonical form', () => {
  for (const spelling of [
    '169.254.169.254',
    '2852039166',
    '0xa9fea9fe',
    '0xA9.0xFE.0xA9.0xFE',
    '0251.0376.0251.0376',
    '169.254.43518',
    '169.16689662',
    '0xa9.16689662',
    '169.254.169.254.',
    '::ffff:169.254.169.254',
    '::ffff:a9fe:a9fe',
    '[::ffff:169.254.169.254]',
    '0:0:0:0:0:ffff:a9fe:a9fe',
  ]) {
    assert.equal(canon(spelling), '169.254.169.254', spelling);
  }
});

test('short and numeric forms of loopback', () => {
  assert.equal(canon('127.1'), '127.0.0.1');
  assert.equal(canon('127.0.1'), '127.0.0.1');
  assert.equal(canon('2130706433'), '127.0.0.1');
  assert.equal(canon('0x7f000001'), '127.0.0.1');
  assert.equal(canon('0177.0.0.01'), '127.0.0.1');
  assert.equal(canon('0'), '0.0.0.0');
});

test('malformed IPv4 is not an address', () => {
  for (const bad of [
    '256.1.1.1',
    '1.2.3.4.5',
    '1.2.3.999',
    '4294967296',
    '08.1.1.1',
    '0x1g.1.1.1',
    '1..2.3',
    '1.2.3.0x100',
  ]) {
    assert.equal(canon(bad), null, bad);
  }
});

test('IPv6 is canonicalised per RFC 5952', () => {
  assert.equal(canon('::1'), '::1');
  assert.equal(canon('0:0:0:0:0:0:0:1'), '::1');
  assert.equal(canon('2001:DB8:0:0:1:0:0:1'), '2001:db8::1:0:0:1');
  assert.equal(canon('fe80::1%eth0'), null);
  assert.equal(canon('1::2::3'), null);
  assert.equal(canon('12345::'), null);
  assert.equal(canon('::ffff:1.2.3'), null);
});

test('networks fold mapped IPv6 and normalise the base', () => {
  assert.equal(formatNetwork(parseNetwork('10.1.2.3/8')!), '10.0.0.0/8');
  assert.equal(formatNetwork(parseNetwork('::ffff:10.0.0.0/104')!), '10.0.0.0/8');
  assert.equal(formatNetwork(parseNetwork('127.1')!), '127.0.0.1/32');
  assert.equal(parseNetwork('10.0.0.0/33'), null);
  assert.equal(parseNetwork('10.0.0.0/-1'), null);
});

test('hostnames: lower case, trailing dot, IDN to punycode, bad labels refused', () => {
  assert.equal(canonicalHostname('Example.ORG.'), 'example.org');
  assert.equal(canonicalHostname('bücher.example'), 'xn--bcher-kva.example');
  assert.equal(canonicalHostname('-bad.example'), null);
  assert.equal(canonicalHostname('a'.repeat(64) + '.example'), null);
  assert.equal(canonicalHostname('x'.repeat(10_000)), null);
  assert.equal(canonicalHostname('a..b'), null);
});
