// Hostile banners (ANSI escapes, CR/LF, NULs, huge lengths) are kept as capped data and escaped on output.
import { test } from 'node:test';

// Control characters are exactly what these assertions look for.
// eslint-disable-next-line no-control-regex -- see above
const CONTROL = new RegExp('[\\u0000-\\u001f\\u007f]');
import assert from 'node:assert/strict';
import { escapeForDisplay, bannerText, cleanField, MAX_BANNER_BYTES } from '../../../src/scanners/escape.ts';
import { getScanner, runScanner } from '../../../src/scanners/index.ts';
import { loopbackContext } from '../helpers/context.ts';
import { tcpServer } from '../helpers/servers.ts';

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
    const result = await runScanner(
      getScanner('service-id'),
      { target: '127.0.0.1', ports: String(server.port) },
      loopbackContext(),
    );
    const s = result.services[0];
    assert.equal(s?.service, 'ssh');
    assert.ok((s?.banner?.length ?? 0) <= MAX_BANNER_BYTES);
    assert.ok(s?.banner?.includes('\u001b[2J'), 'stored as data, not stripped');
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
    const result = await runScanner(
      getScanner('service-id'),
      { target: '127.0.0.1', ports: String(server.port) },
      loopbackContext(),
    );
    assert.equal(result.services[0]?.service, null);
    assert.equal(result.services[0]?.banner?.length, MAX_BANNER_BYTES);
    assert.equal(bannerText(Buffer.alloc(5000)).length, MAX_BANNER_BYTES);
  } finally {
    await server.close();
  }
});
