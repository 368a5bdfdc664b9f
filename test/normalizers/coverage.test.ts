// A scan's coverage as each report format states it (src/normalizers/coverage.ts): the ports probed per host, the
// open ones and the rules run on them; null for formats without a port notion and for documents that do not say.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { normalizeRaw } from '../../src/normalizers/index.ts';
import { nmapScriptRules } from '../../src/normalizers/coverage.ts';
import { getScanner } from '../../src/scanners/index.ts';
import { runScanner } from '../../src/scanners/run-scanner.ts';
import type { ScanCoverage } from '../../src/schemas/types.gen.ts';
import { loopbackContext } from '../helpers/scanner-context.ts';
import { closedPort, tcpServer } from '../helpers/servers.ts';
import { PROVENANCE, fixture, rawOf } from './raw.ts';

const coverageOf = (payload: Buffer | string, format = ''): ScanCoverage | null =>
  JSON.parse(JSON.stringify(normalizeRaw(rawOf(payload, { format }), PROVENANCE).coverage)) as ScanCoverage | null;

function checksDoc(hosts: object[], checksRun: object[] = []): string {
  return JSON.stringify({ schema: 'asmvs-checks/1', scanner: { name: 'asmvs-checks' }, hosts, checks: [], checksRun });
}

test('asmvs-checks-json: ports probed per host, open ports with open-port, checks that reached a result', () => {
  const doc = checksDoc(
    [
      { address: '127.0.0.1', ports: '22,5432,6379', openPorts: [5432, 6379] },
      { address: '127.0.0.2', ports: '22,5432,6379', openPorts: [] },
      { address: '127.0.0.3', ports: '80', openPorts: [80] },
    ],
    [
      { id: 'redis-unauthenticated', host: '127.0.0.1', port: 6379, outcome: 'pass' },
      { id: 'postgres-no-password', host: '127.0.0.1', port: 5432, outcome: 'error' },
      { id: 'http-git-exposed', host: '127.0.0.3', port: 80, outcome: 'fail' },
    ],
  );
  assert.deepEqual(coverageOf(doc), {
    probed: [
      { hosts: ['127.0.0.1', '127.0.0.2'], protocol: 'tcp', ports: '22,5432,6379' },
      { hosts: ['127.0.0.3'], protocol: 'tcp', ports: '80' },
    ],
    open: [
      { host: '127.0.0.1', protocol: 'tcp', port: 5432, rules: ['open-port'] },
      { host: '127.0.0.1', protocol: 'tcp', port: 6379, rules: ['open-port', 'redis-unauthenticated'] },
      { host: '127.0.0.3', protocol: 'tcp', port: 80, rules: ['http-git-exposed', 'open-port'] },
    ],
  });
});

test('asmvs-checks-json: a document whose hosts do not list their ports (written before they did) states none', () => {
  assert.equal(coverageOf(fixture('asmvs-checks.json')), null);
  assert.equal(coverageOf(checksDoc([{ address: '127.0.0.1', ports: 'top-1000', openPorts: [] }])), null);
});

test("the built-in scanners' document lists the ports they probed", async () => {
  const server = await tcpServer((socket) => socket.end());
  const closed = await closedPort();
  try {
    const result = await runScanner(
      getScanner('tcp-connect'),
      { target: '127.0.0.1', ports: `${server.port},${closed}` },
      loopbackContext(),
    );
    const coverage = coverageOf(result.payload, result.format);
    const ports = [server.port, closed].sort((a, b) => a - b).join(',');
    assert.deepEqual(coverage, {
      probed: [{ hosts: ['127.0.0.1'], protocol: 'tcp', ports }],
      open: [{ host: '127.0.0.1', protocol: 'tcp', port: server.port, rules: ['open-port'] }],
    });
  } finally {
    await server.close();
  }
});

test('nmap-xml: scaninfo ports on every host that was up; open ports with the rules of the scripts that ran', () => {
  assert.deepEqual(coverageOf(fixture('nmap-loopback.xml')), {
    probed: [{ hosts: ['127.0.0.1'], protocol: 'tcp', ports: '22,80,1883,3306,4222,5432,5672,6379' }],
    // 22 and 80 were probed and closed
    open: [1883, 3306, 4222, 5432, 5672, 6379].map((port) => ({
      host: '127.0.0.1',
      protocol: 'tcp',
      port,
      rules: ['open-port'],
    })),
  });
  const both = coverageOf(fixture('nmap-vulners-weak-tls.xml'));
  assert.deepEqual(both?.probed, [{ hosts: ['127.0.0.1', '127.0.0.2'], protocol: 'tcp', ports: '22,443' }]);
  assert.deepEqual(
    both?.open.map((o) => `${o.host}:${o.port} ${o.rules.join(' ')}`),
    [
      '127.0.0.1:22 CVE-* open-port ssl-enum-ciphers/*',
      '127.0.0.1:443 CVE-* open-port ssl-enum-ciphers/*',
      '127.0.0.2:22 CVE-* open-port ssl-enum-ciphers/*',
    ],
  );
});

test('nmap-xml: a host that was down is not covered', () => {
  const xml = fixture('nmap-loopback.xml')
    .toString()
    .replace(/<status state="up"/, '<status state="down"');
  assert.deepEqual(coverageOf(xml), { probed: [], open: [] });
});

test('nmap script rules: by name, .nse, category, glob and all; -sC and -A run the default category', () => {
  assert.deepEqual(nmapScriptRules('nmap -sV -oX - 127.0.0.1'), []);
  assert.deepEqual(nmapScriptRules('nmap --script vulners 127.0.0.1'), ['CVE-*']);
  assert.deepEqual(nmapScriptRules('nmap --script=ssl-enum-ciphers.nse,http-title x'), ['ssl-enum-ciphers/*']);
  assert.deepEqual(nmapScriptRules('nmap --script vuln x'), ['CVE-*']);
  assert.deepEqual(nmapScriptRules('nmap --script discovery x'), ['ssl-enum-ciphers/*']);
  assert.deepEqual(nmapScriptRules('nmap --script ssl-* x'), ['ssl-enum-ciphers/*']);
  assert.deepEqual(nmapScriptRules('nmap --script all x'), ['CVE-*', 'ssl-enum-ciphers/*']);
  assert.deepEqual(nmapScriptRules('nmap -sC -A x'), []);
  assert.deepEqual(nmapScriptRules(undefined), []);
});

test('formats without a port notion (or that state none) cover their asset whole: null', () => {
  for (const name of [
    'trivy-image.json',
    'grype.json',
    'osv-scanner.json',
    'semgrep.sarif',
    'nuclei.jsonl',
    'nuclei.json',
    'zap.xml',
    'zap.json',
    'openvas.xml',
  ])
    assert.equal(coverageOf(fixture(name)), null, name);
});
