import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildNmapArgs } from '../../../src/scanners/nmap/nmap-args.ts';

test('arguments are an array of validated values', () => {
  assert.deepEqual(
    buildNmapArgs({
      addresses: ['127.0.0.1'],
      ports: [22, 80, 81, 82, 443],
      serviceVersion: true,
      scripts: ['banner', 'ssl-cert'],
      hostTimeoutMs: 60_000,
    }),
    [
      '-sT',
      '-Pn',
      '-n',
      '--noninteractive',
      '-oX',
      '-',
      '-p',
      '22,80-82,443',
      '-sV',
      '--script',
      'banner,ssl-cert',
      '--host-timeout',
      '60s',
      '127.0.0.1',
    ],
  );
  assert.deepEqual(buildNmapArgs({ addresses: ['::1'], ports: null, serviceVersion: false, scripts: [] }).slice(-2), [
    '-6',
    '::1',
  ]);
});

test('anything that is not a scope-checked address, an allowed script or a port is refused', () => {
  for (const address of ['-iL /etc/passwd', '--script=x', 'localhost', '127.0.0.1; rm -rf /', '']) {
    assert.throws(() => buildNmapArgs({ addresses: [address], ports: null, serviceVersion: false, scripts: [] }), {
      code: 'TARGET_INVALID',
    });
  }
  assert.throws(() => buildNmapArgs({ addresses: ['127.0.0.1'], ports: null, serviceVersion: false, scripts: ['x'] }), {
    code: 'TARGET_INVALID',
  });
  assert.throws(
    () => buildNmapArgs({ addresses: ['127.0.0.1'], ports: null, serviceVersion: false, scripts: ['http-shellshock'] }),
    /allow-list/,
  );
  assert.throws(() => buildNmapArgs({ addresses: ['127.0.0.1'], ports: [70000], serviceVersion: false, scripts: [] }), {
    code: 'TARGET_INVALID',
  });
  assert.throws(() => buildNmapArgs({ addresses: [], ports: null, serviceVersion: false, scripts: [] }), {
    code: 'TARGET_INVALID',
  });
});
