// Hostile banners (ANSI and C1 escapes, CR/LF, NULs, U+2028, bidi overrides, huge lengths) are stored as an escaped,
// printable form of their bytes, capped; nothing a service sends reaches the scanner's output raw.
import { test } from 'node:test';

// Control characters are exactly what these assertions look for.
// eslint-disable-next-line no-control-regex -- see above
const CONTROL = new RegExp('[\\u0000-\\u001f\\u007f]');
import assert from 'node:assert/strict';
import {
  escapeForDisplay,
  bannerText,
  cleanField,
  unescapeBytes,
  MAX_BANNER_BYTES,
} from '../../../src/scanners/escape.ts';
import { getScanner, runScanner } from '../../../src/scanners/index.ts';
import { loopbackContext } from '../../helpers/scanner-context.ts';
import { tcpServer } from '../../helpers/servers.ts';

const serviceIdOf = (port: number) =>
  runScanner(getScanner('service-id'), { target: '127.0.0.1', ports: String(port) }, loopbackContext());

const HOSTILE = '\u001b[2J\u001b[31mOWNED\u001b[0m\r\nINFO fake log line\r\n\u0000\u0007' + 'A'.repeat(1_000_000);

test('escapeForDisplay leaves no control characters and bounds the length', () => {
  const shown = escapeForDisplay(HOSTILE);
  assert.doesNotMatch(shown, CONTROL);
  assert.ok(shown.startsWith('\\x1b[2J\\x1b[31mOWNED\\x1b[0m\\r\\nINFO fake log line\\r\\n\\x00\\x07'));
  assert.ok(shown.length <= 4 * MAX_BANNER_BYTES + 1);
  assert.equal(escapeForDisplay('a\\b'), 'a\\\\b');
  assert.equal(escapeForDisplay('é'), '\\xe9');
  assert.equal(cleanField('\u001b[31mnginx\r\n'), '[31mnginx');
});

test('a hostile SSH-looking banner is stored capped, verbatim as data', async () => {
  const server = await tcpServer((socket) => socket.end(`SSH-2.0-Evil_1.0 ${HOSTILE}`));
  try {
    const result = await serviceIdOf(server.port);
    const s = result.services[0];
    assert.equal(s?.service, 'ssh');
    assert.ok((s?.banner?.length ?? 0) <= 4 * MAX_BANNER_BYTES);
    assert.ok(s?.banner?.includes('\\x1b[2J'), 'stored escaped, not stripped');
    assert.doesNotMatch(s?.banner ?? '', CONTROL);
    assert.deepEqual(
      unescapeBytes(s?.banner ?? ''),
      Buffer.from(`SSH-2.0-Evil_1.0 ${HOSTILE}`, 'latin1').subarray(0, MAX_BANNER_BYTES),
      'the bytes are all there',
    );
    assert.doesNotMatch(s?.attributes.extrainfo ?? '', CONTROL);
    assert.ok(result.payload.length < 64 * 1024);
    assert.doesNotMatch(result.payload.toString('utf8'), CONTROL, 'JSON escapes control characters');
  } finally {
    await server.close();
  }
});

test('an unknown greeting is kept as a capped banner', async () => {
  const server = await tcpServer((socket) => socket.end('\u001b]0;pwned\u0007' + 'B'.repeat(100_000)));
  try {
    const result = await serviceIdOf(server.port);
    assert.equal(result.services[0]?.service, null);
    assert.ok(result.services[0]?.banner?.startsWith('\\x1b]0;pwned\\x07BBB'));
    assert.equal(unescapeBytes(result.services[0]?.banner ?? '').length, MAX_BANNER_BYTES);
    assert.equal(bannerText(Buffer.alloc(5000)), '\\x00'.repeat(MAX_BANNER_BYTES));
  } finally {
    await server.close();
  }
});

// C1 controls (U+0080–U+009F: U+009B is a one-character CSI), line separators and bidi overrides are valid JSON
// string characters: JSON.stringify leaves them raw, so they must not be in the strings to begin with.
const UNSAFE_IN_JSON = /[\u0080-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;
const NASTY = Buffer.concat([
  Buffer.from([0x9b, 0x33, 0x31, 0x6d, 0x85, 0x9d]),
  Buffer.from('\u2028\u202egnp.exe', 'utf8'),
]);

test('a greeting with C1 controls, U+2028 and U+202E reaches the JSON output only escaped', async () => {
  const sent = Buffer.concat([Buffer.from('SSH-2.0-OpenSSH_9.2p1 '), NASTY, Buffer.from('\r\n')]);
  const server = await tcpServer((socket) => socket.end(sent));
  try {
    const result = await serviceIdOf(server.port);
    const s = result.services[0];
    assert.equal(s?.service, 'ssh');
    assert.deepEqual(unescapeBytes(s?.banner ?? ''), sent);
    assert.doesNotMatch(result.payload.toString('utf8'), UNSAFE_IN_JSON);
    assert.doesNotMatch(result.payload.toString('utf8'), CONTROL);
  } finally {
    await server.close();
  }
});

test('HTTP headers and titles with C1 controls, U+2028 and U+202E are cleaned', async () => {
  const server = await tcpServer((socket) =>
    socket.once('data', () =>
      socket.end(
        Buffer.concat([
          Buffer.from('HTTP/1.1 200 OK\r\nServer: nginx/1.25'),
          Buffer.from([0x9b, 0x32, 0x4a]),
          Buffer.from('\r\nX-Frame-Options: DENY'),
          Buffer.from([0x85]),
          Buffer.from('\r\nContent-Type: text/html\r\nConnection: close\r\n\r\n<title>'),
          Buffer.from('a\u009b2Jb\u2028c\u202ed</title>', 'utf8'),
        ]),
      ),
    ),
  );
  try {
    const result = await serviceIdOf(server.port);
    const s = result.services[0];
    assert.equal(s?.service, 'http');
    assert.equal(s?.http?.title, 'a2Jb cd', 'U+2028 is white space in a title');
    assert.equal(s?.http?.headers['x-frame-options'], 'DENY');
    assert.doesNotMatch(result.payload.toString('utf8'), UNSAFE_IN_JSON);
  } finally {
    await server.close();
  }
});
