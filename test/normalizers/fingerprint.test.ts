// The fingerprint: delimiter-safe, canonical about hosts, blind to everything that drifts between scans.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { canonicalHost, fingerprint } from '../../src/normalizers/fingerprint.ts';
import { normalizeRaw } from '../../src/normalizers/index.ts';
import { NOW, PROVENANCE, fixture, rawOf } from './raw.ts';

test('no choice of separators in the parts makes two tuples collide', () => {
  const a = fingerprint('nmap', 'x', {
    kind: 'package',
    target: 'img|a',
    ecosystem: 'npm',
    name: 'b',
    version: '1',
    path: '',
  });
  const b = fingerprint('nmap', 'x', {
    kind: 'package',
    target: 'img',
    ecosystem: 'npm',
    name: 'a|b',
    version: '1',
    path: '',
  });
  const c = fingerprint('nmap', 'x', {
    kind: 'package',
    target: 'img","a',
    ecosystem: 'npm',
    name: 'b',
    version: '1',
    path: '',
  });
  assert.equal(new Set([a, b, c]).size, 3);
  assert.notEqual(
    fingerprint('a', 'bc', { kind: 'host', host: 'h' }),
    fingerprint('ab', 'c', { kind: 'host', host: 'h' }),
  );
});

test('host spellings that name the same host give one fingerprint', () => {
  assert.equal(canonicalHost('WWW.Example.ORG.'), 'www.example.org');
  assert.equal(canonicalHost('[2001:DB8:0:0::1]'), '2001:db8::1');
  const k = (host: string) => fingerprint('nmap', 'open-port', { kind: 'service', host, port: 22, protocol: 'TCP' });
  assert.equal(k('2001:db8::0:1'), k('2001:0db8:0000::1'));
  assert.equal(k('Host.example.'), k('host.example'));
  assert.notEqual(k('127.0.0.1'), k('127.0.0.2'));
});

test('the same CVE on two hosts, two ports or two package paths gives distinct fingerprints', () => {
  const fps = (file: string, id: string) =>
    normalizeRaw(rawOf(fixture(file)), PROVENANCE, { now: NOW })
      .findings.filter((f) => f.ruleId === id)
      .map((f) => f.fingerprint);
  const hosts = fps('nmap-vulners-weak-tls.xml', 'CVE-2023-38408'); // 127.0.0.1:22 and 127.0.0.2:22
  const ports = fps('nuclei.jsonl', 'CVE-2021-41773'); // :8080 and :8081
  const paths = fps('trivy-image.json', 'CVE-2021-23337'); // app/ and app2/package-lock.json
  for (const list of [hosts, ports, paths]) {
    assert.equal(list.length, 2);
    assert.notEqual(list[0], list[1]);
  }
});

test('severity, descriptions, evidence, timestamps and scan ids are not hashed', () => {
  const original = fixture('zap.json').toString();
  const drifted = original
    .replace(/"riskcode": "3"/, '"riskcode": "1"')
    .replace(/Cross-site Scripting \(XSS\) is/, 'XSS is')
    .replace(/"evidence": "<scrIpt>alert\(1\);<\/scRipt>"/, '"evidence": "other"')
    .replace(/"@generated": "[^"]*"/, '"@generated": "Sun, 29 Nov 2026 10:00:00"');
  assert.notEqual(drifted, original);
  const a = normalizeRaw(rawOf(original), PROVENANCE, { now: NOW }).findings;
  const b = normalizeRaw(
    rawOf(drifted, { scanId: 'another-scan', eventId: 'another-event', finishedAt: NOW + 1 }),
    PROVENANCE,
    { now: NOW },
  ).findings;
  assert.deepEqual(
    a.map((f) => f.fingerprint),
    b.map((f) => f.fingerprint),
  );
  assert.notEqual(a[3]?.severity, b[3]?.severity);
});
