// What a scan may resolve, given its coverage (src/sink/coverage.ts): probed host, protocol and port; then either
// the port is not open now, or the scan ran the finding's rule (or a pattern of it) there.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { insideCoverage, unionCoverage, type FindingPlace } from '../../src/sink/coverage.ts';
import type { ScanCoverage } from '../../src/schemas/types.gen.ts';

const coverage: ScanCoverage = {
  probed: [
    { hosts: ['127.0.0.1', '::1'], protocol: 'tcp', ports: '22,443,5432-5433' },
    { hosts: ['127.0.0.1'], protocol: 'udp', ports: '53' },
  ],
  open: [
    { host: '127.0.0.1', protocol: 'tcp', port: 443, rules: ['open-port', 'CVE-*', 'ssl-enum-ciphers/*'] },
    { host: '127.0.0.1', protocol: 'tcp', port: 5432, rules: ['open-port'] },
    { host: '127.0.0.1', protocol: 'tcp', port: 5432, rules: ['postgres-no-password'] },
  ],
};

const at = (host: string | null, port: number | null, ruleId: string | null, protocol: string | null = 'tcp') =>
  ({ host, port, ruleId, protocol }) satisfies FindingPlace;

test('outside: a port, protocol or host the scan did not probe; a finding with no port or host', () => {
  const inside = insideCoverage(coverage);
  assert.equal(inside(at('127.0.0.1', 1883, 'open-port')), false);
  assert.equal(inside(at('127.0.0.1', 22, 'open-port', 'udp')), false);
  assert.equal(inside(at('127.0.0.2', 22, 'open-port')), false);
  assert.equal(inside(at('127.0.0.1', null, 'host-rule')), false);
  assert.equal(inside(at(null, 22, 'open-port')), false);
});

test('inside: everything on a probed port that is not open now', () => {
  const inside = insideCoverage(coverage);
  assert.equal(inside(at('127.0.0.1', 22, 'open-port')), true);
  assert.equal(inside(at('127.0.0.1', 22, 'CVE-2021-41617')), true);
  assert.equal(inside(at('::1', 5433, 'anything')), true);
  assert.equal(inside(at('127.0.0.1', 53, 'open-port', 'UDP')), true, 'protocol is case-insensitive');
  assert.equal(inside(at('127.0.0.1', 22, 'open-port', null)), true, 'a finding without a protocol is tcp');
});

test('on an open port: only the rules the scan ran there, exactly or by prefix pattern', () => {
  const inside = insideCoverage(coverage);
  assert.equal(inside(at('127.0.0.1', 443, 'open-port')), true);
  assert.equal(inside(at('127.0.0.1', 443, 'CVE-2023-1234')), true);
  assert.equal(inside(at('127.0.0.1', 443, 'ssl-enum-ciphers/weak-cipher-grade')), true);
  assert.equal(inside(at('127.0.0.1', 443, 'http-git-exposed')), false);
  assert.equal(inside(at('127.0.0.1', 443, null)), false);
  assert.equal(inside(at('127.0.0.1', 5432, 'postgres-no-password')), true, 'rules of one port add up');
  assert.equal(inside(at('127.0.0.1', 5432, 'mysql-empty-root-password')), false);
});

test('null coverage: the asset and scanner whole, as before coverage existed', () => {
  const inside = insideCoverage(null);
  assert.equal(inside(at(null, null, null)), true);
  assert.equal(inside(at('10.0.0.1', 1, 'x')), true);
});

test('an unreadable port list probes nothing', () => {
  const inside = insideCoverage({ probed: [{ hosts: ['127.0.0.1'], protocol: 'tcp', ports: 'top-1000' }], open: [] });
  assert.equal(inside(at('127.0.0.1', 22, 'open-port')), false);
});

test("a split scan's coverage is its parts' union; a part without one makes it the asset whole", () => {
  const other: ScanCoverage = { probed: [{ hosts: ['127.0.0.1'], protocol: 'tcp', ports: '1883' }], open: [] };
  const both = unionCoverage([coverage, other]);
  assert.equal(insideCoverage(both)(at('127.0.0.1', 1883, 'open-port')), true);
  assert.equal(insideCoverage(both)(at('127.0.0.1', 443, 'http-git-exposed')), false);
  assert.equal(unionCoverage([coverage, null]), null);
  assert.equal(unionCoverage([]), null);
});
