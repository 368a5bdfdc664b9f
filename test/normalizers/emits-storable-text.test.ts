// Every string of an emitted finding is storable as PostgreSQL text/jsonb: U+0000 becomes `\x00`, an unpaired
// surrogate U+FFFD, whether the report spells them as JSON escapes (split across chunks or not) or holds NUL bytes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createReportNormalizer, normalizeRaw } from '../../src/normalizers/index.ts';
import { NOW, PROVENANCE, rawOf } from './raw.ts';

const line = JSON.stringify({
  'template-id': 'banner',
  info: { name: 'Banner', severity: 'info', description: 'lone \ud800 surrogate' },
  'matched-at': '127.0.0.1:3306',
  'extracted-results': ['5.5.5-10.11\u0000mysql_native_password\u0000'],
});

function assertStorable(text: string): void {
  assert.doesNotMatch(text, /\\u0000|\\ud[89a-f]/i);
}

test('JSON escapes of U+0000 and of a lone surrogate, in one payload or in 1-byte chunks', () => {
  assert.match(line, /\\u0000/);
  const whole = normalizeRaw(rawOf(line, { format: 'nuclei-jsonl' }), PROVENANCE, { now: NOW }).findings;
  const { payload, ...meta } = rawOf(line, { format: 'nuclei-jsonl' });
  const normalizer = createReportNormalizer(meta, PROVENANCE, { now: NOW });
  for (let i = 0; i < payload.length; i++) normalizer.write(payload.subarray(i, i + 1));
  const chunked = normalizer.end().findings;
  for (const findings of [whole, chunked]) {
    assertStorable(JSON.stringify(findings));
    assert.equal(findings[0]?.evidence, '5.5.5-10.11\\x00mysql_native_password\\x00\n127.0.0.1:3306');
    assert.equal(findings[0]?.description, 'lone \ufffd surrogate');
  }
});

test('a report without them keeps every character, backslashes included', () => {
  const plain = line.replaceAll('\\u0000', '\\\\x').replace('\\ud800', 'C:\\\\dir');
  const [f] = normalizeRaw(rawOf(plain, { format: 'nuclei-jsonl' }), PROVENANCE, { now: NOW }).findings;
  assert.equal(f?.description, 'lone C:\\dir surrogate');
  assert.equal(f?.evidence, '5.5.5-10.11\\xmysql_native_password\\x\n127.0.0.1:3306');
});
