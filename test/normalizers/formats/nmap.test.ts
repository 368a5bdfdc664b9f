// nmap: every hostname kept (the name scanned first, then the PTR name), UDP and TCP on one port number are two
// services, filtered ports are not findings, and a port id that is not a port number is refused.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { normalizeRaw } from '../../../src/normalizers/index.ts';
import { parseNmapXml } from '../../../src/normalizers/formats/nmap/read-nmap-xml.ts';
import { NOW, PROVENANCE, fixture, rawOf } from '../raw.ts';
import { run, summary } from './run.ts';

test('nmap: the user name and the PTR name are both kept; tcp/53 and udp/53 are two findings', () => {
  const r = run('nmap-hostnames.xml');
  assert.deepEqual(summary(r.findings), [
    'SERVICE INFO open-port NEW x1',
    'SERVICE INFO open-port NEW x1',
    'SERVICE INFO open-port NEW x1',
  ]);
  assert.deepEqual(
    r.findings.map(
      (f) => `${f.asset.port}/${f.asset.protocol} ${f.asset.service} ${f.asset.product} ${f.asset.version}`,
    ),
    ['22/tcp ssh OpenSSH 9.2p1 Debian 2+deb12u3', '53/udp domain dnsmasq 2.89', '53/tcp domain dnsmasq 2.89'],
  );
  for (const f of r.findings) {
    assert.equal(f.asset.hostname, 'db.asmvs.test');
    assert.deepEqual(f.asset.hostnames, ['db.asmvs.test', 'localhost']);
    assert.equal(f.asset.ip, '127.0.0.1');
  }
  assert.deepEqual(r.findings[0]?.references, ['cpe:/a:openbsd:openssh:9.2p1', 'cpe:/o:linux:linux_kernel']);
  assert.equal(r.findings[0]?.description, 'protocol 2.0');
  assert.equal(r.findings[0]?.scanner.version, '7.93');
  // the scanner reads the same report through the same parser
  const report = parseNmapXml(fixture('nmap-hostnames.xml'));
  assert.equal(report.finished, true);
  assert.deepEqual(report.hosts[0]?.hostnames, [
    { name: 'db.asmvs.test', type: 'user' },
    { name: 'localhost', type: 'PTR' },
  ]);
});

test('nmap: a port id that is not a port number is refused (two of them would have merged as port NaN)', () => {
  const bad = (id: string) =>
    `<nmaprun scanner="nmap"><host><address addr="127.0.0.1" addrtype="ipv4"/><ports><port protocol="tcp" portid="${id}"><state state="open"/></port></ports></host></nmaprun>`;
  for (const id of ['abc', '', '65536', '-1', '22.5', '1e3']) {
    assert.throws(() => normalizeRaw(rawOf(bad(id), { format: 'nmap-xml' }), PROVENANCE, { now: NOW }), {
      code: 'REPORT_UNPARSEABLE',
      message: /port id that is not a port number/,
    });
    assert.throws(() => parseNmapXml(bad(id)), { code: 'REPORT_UNPARSEABLE' });
  }
  assert.equal(normalizeRaw(rawOf(bad('0'), { format: 'nmap-xml' }), PROVENANCE, { now: NOW }).findings.length, 1);
});
