// Bad input never crashes and never passes for a complete report: each case is a typed, non-retryable AsmvsError
// with a stable code (the runner dead-letters it with the reason).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createReportNormalizer, normalizeRaw } from '../../src/normalizers/index.ts';
import { AsmvsError } from '../../src/errors.ts';
import type { ErrorCode } from '../../src/errors.ts';
import { NOW, PROVENANCE, fixture, rawOf } from './raw.ts';

function refuses(
  payload: Buffer | string,
  code: ErrorCode,
  overrides: Parameters<typeof rawOf>[1] = {},
  options = {},
): AsmvsError {
  let caught: unknown;
  try {
    normalizeRaw(rawOf(payload, overrides), PROVENANCE, { now: NOW, ...options });
  } catch (error) {
    caught = error;
  }
  assert.ok(caught instanceof AsmvsError, `expected AsmvsError ${code}, got ${String(caught)}`);
  assert.equal(caught.code, code, caught.message);
  assert.equal(caught.retryable, false);
  return caught;
}

test('truncated JSON is unparseable, wherever it is cut', () => {
  const full = fixture('trivy-image.json');
  for (const cut of [1, 100, 2000, full.length - 2])
    refuses(full.subarray(0, cut), 'REPORT_UNPARSEABLE', { format: 'trivy-json' });
  refuses(fixture('grype.json').subarray(0, 3000), 'REPORT_UNPARSEABLE');
});

test('truncated XML is unparseable', () => {
  const full = fixture('nmap-loopback.xml');
  refuses(full.subarray(0, full.length - 20), 'REPORT_UNPARSEABLE');
  refuses('<nmaprun><host>', 'REPORT_UNPARSEABLE', { format: 'nmap-xml' });
});

test('a report that is not its declared format is refused, not read as zero findings', () => {
  refuses(fixture('trivy-image.json'), 'REPORT_FORMAT_UNKNOWN', { format: 'grype-json' });
  refuses(fixture('grype.json'), 'REPORT_FORMAT_UNKNOWN', { format: 'trivy-json' });
  refuses(fixture('nmap-loopback.xml'), 'REPORT_FORMAT_UNKNOWN', { format: 'zap-xml' });
  refuses(fixture('zap.xml'), 'REPORT_FORMAT_UNKNOWN', { format: 'nmap-xml' });
  refuses(fixture('openvas.xml'), 'REPORT_FORMAT_UNKNOWN', { format: 'nmap-xml' });
  refuses(fixture('trivy-image.json'), 'REPORT_FORMAT_UNKNOWN', { format: 'nuclei-jsonl' });
  refuses(fixture('zap.json'), 'REPORT_FORMAT_UNKNOWN', { format: 'sarif' });
});

test('an undetectable report is REPORT_FORMAT_UNKNOWN; a bad JSON document is REPORT_UNPARSEABLE', () => {
  refuses('hello, world', 'REPORT_FORMAT_UNKNOWN');
  refuses('{"some":"json"}', 'REPORT_FORMAT_UNKNOWN');
  refuses('', 'REPORT_FORMAT_UNKNOWN');
  refuses('{"Results": [}', 'REPORT_UNPARSEABLE', { format: 'trivy-json' });
});

test('an XML bomb (billion laughs) is refused at the DOCTYPE, before any expansion', () => {
  const lols = Array.from({ length: 9 }, (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i};`.repeat(10)}">`).join('\n');
  const bomb = `<?xml version="1.0"?>\n<!DOCTYPE nmaprun [\n<!ENTITY lol0 "lol">\n${lols}\n]>\n<nmaprun><host>&lol9;</host></nmaprun>`;
  const e = refuses(bomb, 'REPORT_UNSAFE', { format: 'nmap-xml' });
  assert.match(e.message, /DTD|entit|DOCTYPE/);
  refuses(bomb, 'REPORT_UNSAFE'); // detected as nmap-xml, same refusal
});

test('an external entity (XXE) is refused, and an undeclared entity reference is unparseable', () => {
  refuses('<?xml version="1.0"?><!DOCTYPE foo SYSTEM "file:///etc/passwd"><OWASPZAPReport/>', 'REPORT_UNSAFE', {
    format: 'zap-xml',
  });
  refuses(
    '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><report>&xxe;</report>',
    'REPORT_UNSAFE',
    { format: 'openvas-xml' },
  );
  refuses('<?xml version="1.0"?><!DOCTYPE r PUBLIC "-//X//EN" "http://127.0.0.1/x.dtd"><report/>', 'REPORT_UNSAFE', {
    format: 'openvas-xml',
  });
  refuses('<report>&xxe;</report>', 'REPORT_UNPARSEABLE', { format: 'openvas-xml' });
});

test('the DOCTYPE guard holds when the declaration is split across chunks', () => {
  const doc = Buffer.from('<?xml version="1.0"?><!DOCTYPE nmaprun [<!ENTITY a "b">]><nmaprun/>');
  const { payload: _, ...meta } = rawOf('');
  const normalizer = createReportNormalizer(meta, PROVENANCE, { format: 'nmap-xml', now: NOW });
  assert.throws(
    () => {
      for (let i = 0; i < doc.length; i++) normalizer.write(doc.subarray(i, i + 1));
      normalizer.end();
    },
    { code: 'REPORT_UNSAFE' },
  );
});

test('nesting deeper than the cap is refused (XML and JSON)', () => {
  refuses(`<nmaprun>${'<a>'.repeat(200)}${'</a>'.repeat(200)}</nmaprun>`, 'REPORT_UNSAFE', { format: 'nmap-xml' });
  refuses(`{"Results":[{"Vulnerabilities":[${'['.repeat(2000)}${']'.repeat(2000)}]}]}`, 'REPORT_UNSAFE', {
    format: 'trivy-json',
  });
});

test('a cut scanner output (truncated flag) is refused rather than read as complete', () => {
  const e = refuses(fixture('nuclei.jsonl'), 'OUTPUT_TOO_LARGE', { truncated: true });
  assert.match(e.message, /byte cap/);
});

test('a report over the byte cap, or with more findings than the cap, is REPORT_TOO_LARGE with the reason', () => {
  refuses(fixture('trivy-image.json'), 'REPORT_TOO_LARGE', {}, { maxReportBytes: 1000 });
  const e = refuses(fixture('nmap-loopback.xml'), 'REPORT_TOO_LARGE', {}, { maxFindings: 5 });
  assert.match(e.message, /more than 5 distinct findings/);
});

test('an incomplete scan is normalized but reported as not complete, so nothing gets resolved by it', () => {
  const r = normalizeRaw(rawOf(fixture('nmap-loopback.xml'), { complete: false }), PROVENANCE, { now: NOW });
  assert.equal(r.findings.length, 6);
  assert.equal(r.complete, false);
});
