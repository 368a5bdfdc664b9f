import { test } from 'node:test';
import assert from 'node:assert/strict';
import { canonicalFormat, detectFormat } from '../../src/normalizers/index.ts';
import { fixture } from './raw.ts';

test('each fixture is detected as its format from its first bytes', () => {
  const expected: Record<string, string> = {
    'nmap-loopback.xml': 'nmap-xml',
    'nmap-vulners-weak-tls.xml': 'nmap-xml',
    'trivy-image.json': 'trivy-json',
    'grype.json': 'grype-json',
    'nuclei.jsonl': 'nuclei-jsonl',
    'nuclei.json': 'nuclei-json',
    'semgrep.sarif': 'sarif',
    'osv-scanner.json': 'osv-json',
    'zap.xml': 'zap-xml',
    'zap.json': 'zap-json',
    'openvas.xml': 'openvas-xml',
    'asmvs-checks.json': 'asmvs-checks-json',
  };
  for (const [file, format] of Object.entries(expected)) assert.equal(detectFormat(fixture(file)), format, file);
});

test('unknown bytes are not guessed; declared names and aliases are canonical', () => {
  assert.equal(detectFormat(Buffer.from('PK\x03\x04')), null);
  assert.equal(detectFormat(Buffer.from('<html><body/></html>')), null);
  assert.equal(detectFormat(Buffer.from('{"a":1}')), null);
  assert.equal(canonicalFormat('GVM-XML'), 'openvas-xml');
  assert.equal(canonicalFormat('sarif-json'), 'sarif');
  assert.equal(canonicalFormat('pdf'), null);
});
