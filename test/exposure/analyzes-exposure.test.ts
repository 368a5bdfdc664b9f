import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeExposure } from '../../src/exposure/analyze-exposure.ts';
import { classifyAddress } from '../../src/exposure/address-class.ts';
import type { Service } from '../../src/schemas/types.gen.ts';
import { service as serviceOf } from '../helpers/exposure-harness.ts';

const service = (fields: Partial<Service>): Service => serviceOf(fields.port ?? 1, fields);
const NOW = Date.parse('2026-01-01T00:00:00Z');

test('address classes', () => {
  const cases: [string, string][] = [
    ['8.8.8.8', 'public'],
    ['2606:4700::1', 'public'],
    ['10.1.2.3', 'private'],
    ['172.31.0.1', 'private'],
    ['172.32.0.1', 'public'],
    ['192.168.1.1', 'private'],
    ['100.64.0.1', 'cgnat'],
    ['127.0.0.1', 'loopback'],
    ['::1', 'loopback'],
    ['169.254.169.254', 'link-local'],
    ['fe80::1', 'link-local'],
    ['fd12::1', 'ula'],
    ['192.0.2.7', 'documentation'],
    ['2001:db8::1', 'documentation'],
    ['::ffff:10.0.0.1', 'private'],
  ];
  for (const [address, expected] of cases) assert.equal(classifyAddress(address), expected, address);
  assert.equal(classifyAddress('not an address'), null);
});

test('a public unauthenticated database scores high and says why', () => {
  const e = analyzeExposure({
    addresses: ['8.8.8.8'],
    services: [service({ port: 6379, service: 'redis', attributes: { auth: 'none' } })],
    now: NOW,
  });
  assert.equal(e.level, 'PUBLIC');
  assert.deepEqual(e.tags, ['database', 'network:public', 'unauthenticated']);
  assert.equal(e.score, 40 + 15 + 25 + 1);
  assert.deepEqual(e.reasons, ['public address: +40', 'database: +15', 'unauthenticated: +25', '1 open port(s): +1']);
});

test('the same service on loopback is internal and lower', () => {
  const e = analyzeExposure({
    addresses: ['127.0.0.1'],
    services: [service({ port: 6379, service: 'redis', attributes: { auth: 'none' } })],
    now: NOW,
  });
  assert.equal(e.level, 'INTERNAL');
  assert.equal(e.score, 10 + 15 + 25 + 1);
});

test('TLS problems, check ids, caps', () => {
  const tls = {
    subject: 'CN=x',
    issuer: 'CN=x',
    subjectAltNames: [],
    notBefore: 0,
    notAfter: NOW - 1,
    selfSigned: true,
    protocols: ['TLSv1', 'TLSv1.2'],
    fingerprintSha256: null,
  };
  const many = Array.from({ length: 30 }, (_, i) => service({ port: 1000 + i }));
  const e = analyzeExposure({
    addresses: ['10.0.0.1', '1.1.1.1'],
    services: [service({ port: 443, service: 'https', tls }), service({ port: 5672, service: 'amqp' }), ...many],
    checkIds: ['amqp-default-credentials', 'http-git-exposed'],
    now: NOW,
  });
  assert.equal(e.level, 'PUBLIC');
  for (const t of [
    'web',
    'tls',
    'expired-cert',
    'self-signed-cert',
    'old-tls',
    'message-broker',
    'default-credentials',
    'sensitive-files',
    'network:private',
    'network:public',
  ])
    assert.ok(e.tags.includes(t), t);
  assert.equal(e.score, 100);
});

test('nothing open scores zero', () => {
  assert.deepEqual(analyzeExposure({ addresses: ['8.8.8.8'], services: [], now: NOW }), {
    level: 'PUBLIC',
    score: 0,
    tags: ['network:public'],
    reasons: ['no open service seen'],
  });
});
