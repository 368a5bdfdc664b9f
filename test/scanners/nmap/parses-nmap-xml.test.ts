import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parseNmapXml } from '../../../src/normalizers/formats/nmap/read-nmap-xml.ts';
import { servicesOf } from '../../../src/scanners/nmap/nmap-services-of.ts';

const fixture = readFileSync(new URL('../../fixtures/scanners/nmap-sv-loopback.xml', import.meta.url));

test('parses a real nmap -sV report (nmap 7.93 on this machine, loopback)', () => {
  const report = parseNmapXml(fixture);
  assert.equal(report.scanner, 'nmap');
  assert.equal(report.version, '7.93');
  assert.equal(report.finished, true);
  const services = servicesOf(report);
  const byPort = new Map(services.map((s) => [s.port, s]));
  assert.deepEqual(
    [...byPort.keys()].sort((a, b) => a - b),
    [1883, 3306, 4222, 5432, 5672, 6379, 8081, 9001, 9092, 9093],
  );
  assert.equal(byPort.get(6379)?.service, 'redis');
  assert.equal(byPort.get(6379)?.version, '7.0.15');
  assert.equal(byPort.get(5672)?.product, 'RabbitMQ');
  assert.equal(byPort.get(3306)?.version, '5.5.5-10.11.19-MariaDB-0+deb12u1');
});

function timed<T>(fn: () => T): { ms: number; result: T | Error } {
  const t0 = performance.now();
  try {
    return { ms: performance.now() - t0, result: fn() };
  } catch (error) {
    return { ms: performance.now() - t0, result: error as Error };
  }
}

const BOMB = `<?xml version="1.0"?>
<!DOCTYPE nmaprun [
 <!ENTITY a "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa">
 <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
 <!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">
 <!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">
 <!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;">
 <!ENTITY f "&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;">
 <!ENTITY g "&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;">
]>
<nmaprun scanner="nmap"><host><address addr="&g;" addrtype="ipv4"/></host></nmaprun>`;

const XXE = `<?xml version="1.0"?>
<!DOCTYPE nmaprun [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<nmaprun scanner="nmap"><host><hostnames><hostname name="&xxe;"/></hostnames></host></nmaprun>`;

const EXTERNAL_DTD = `<?xml version="1.0"?><!DOCTYPE nmaprun SYSTEM "http://127.0.0.1:1/evil.dtd"><nmaprun/>`;

test('an XML bomb is refused at once with bounded memory', () => {
  const before = process.memoryUsage().heapUsed;
  const { ms, result } = timed(() => parseNmapXml(BOMB));
  assert.ok(result instanceof Error);
  assert.equal((result as Error & { code?: string }).code, 'REPORT_UNSAFE');
  assert.ok(ms < 500, `took ${ms} ms`);
  assert.ok(process.memoryUsage().heapUsed - before < 50 * 1024 * 1024);
});

test('external entities and external DTDs are refused', () => {
  for (const doc of [XXE, EXTERNAL_DTD]) assert.throws(() => parseNmapXml(doc), { code: 'REPORT_UNSAFE' });
});

test('an undeclared entity is malformed, not expanded', () => {
  assert.throws(() => parseNmapXml('<nmaprun><host><hostname name="&xxe;"/></host></nmaprun>'), {
    code: 'REPORT_UNPARSEABLE',
  });
});

test('deep nesting is refused', () => {
  const deep = `<nmaprun>${'<a>'.repeat(10_000)}${'</a>'.repeat(10_000)}</nmaprun>`;
  const { ms, result } = timed(() => parseNmapXml(deep));
  assert.equal((result as Error & { code?: string }).code, 'REPORT_UNSAFE');
  assert.ok(ms < 500);
});

test('oversized, empty, foreign and truncated documents are refused', () => {
  assert.throws(() => parseNmapXml(fixture, 1000), { code: 'OUTPUT_TOO_LARGE' });
  assert.throws(() => parseNmapXml(''), { code: 'REPORT_UNPARSEABLE' });
  assert.throws(() => parseNmapXml('<html></html>'), { code: 'REPORT_FORMAT_UNKNOWN' });
  assert.throws(() => parseNmapXml(fixture.subarray(0, fixture.length / 2)), { code: 'REPORT_UNPARSEABLE' });
});
