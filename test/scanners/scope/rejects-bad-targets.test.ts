import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseTarget } from '../../../src/scanners/scope/target.ts';
import { parsePorts } from '../../../src/scanners/scope/ports.ts';
import { isAsmvsError } from '../../../src/errors.ts';

function code(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    assert.ok(isAsmvsError(error), String(error));
    assert.equal(error.retryable, false);
    return error.code;
  }
  return 'no error';
}

test('option-like, shell and empty targets are TARGET_INVALID', () => {
  for (const bad of [
    '-iL /etc/passwd',
    '--script=x',
    '-sV',
    '127.0.0.1; rm -rf /',
    '127.0.0.1 && id',
    '$(id)',
    '`id`',
    'a|b',
    '',
    ' ',
    '127.0.0.1\n',
    'x'.repeat(10_000),
    'a'.repeat(300),
    'host name',
    'fe80::1%eth0',
    'ftp://127.0.0.1/',
    'http://user:pw@127.0.0.1/',
    '1.2.3.999',
    '10.0.0.0/40',
  ]) {
    assert.equal(
      code(() => parseTarget(bad)),
      'TARGET_INVALID',
      JSON.stringify(bad.slice(0, 30)),
    );
  }
  assert.equal(
    code(() => parseTarget(42)),
    'TARGET_INVALID',
  );
});

test('the error message names the reason', () => {
  assert.throws(() => parseTarget('-iL /etc/passwd'), /must not begin with "-"/);
  assert.throws(() => parseTarget('127.0.0.1; rm -rf /'), /shell metacharacters/);
  assert.throws(() => parseTarget(''), /is empty/);
  assert.throws(() => parseTarget('x'.repeat(10_000)), /longer than 2048/);
});

test('valid targets parse to their kind', () => {
  assert.equal(parseTarget('127.0.0.1').kind, 'address');
  assert.equal(parseTarget('127.0.0.0/30').kind, 'network');
  assert.equal(parseTarget('Example.org.').kind, 'hostname');
  const url = parseTarget('https://[::1]:8443/path');
  assert.equal(url.kind, 'url');
  if (url.kind === 'url') assert.equal(url.port, 8443);
});

test('ports: profiles, ranges, validation', () => {
  assert.deepEqual(parsePorts('22,80,8000-8002,80'), [22, 80, 8000, 8001, 8002]);
  assert.equal(parsePorts('top-100').length, 100);
  assert.equal(parsePorts('top-1000').length, 1000);
  assert.equal(parsePorts('all').length, 65535);
  assert.deepEqual(parsePorts([443, 22]), [443, 22]);
  for (const bad of ['70000', '0', '1-70000', '80-22', 'abc', '', '22;id', '-p 22']) {
    assert.equal(
      code(() => parsePorts(bad)),
      'TARGET_INVALID',
      bad,
    );
  }
  assert.throws(() => parsePorts('70000'), /outside 1-65535/);
  assert.equal(
    code(() => parsePorts('1-2000', 1000)),
    'TARGET_TOO_LARGE',
  );
});
