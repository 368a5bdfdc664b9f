// Every registered scanner passes the same suite: unique name, sane limits, hostile targets refused with a clear,
// non-retryable error before any socket or process, abort honoured, missing tools reported clearly. The hostile
// targets are the scanners' part of the catalogue every door is probed with (helpers/hostile-inputs.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SCANNERS, getScanner, runScanner } from '../../src/scanners/index.ts';
import { AsmvsError } from '../../src/errors.ts';
import { spyIo } from '../helpers/spy-io.ts';
import { loopbackContext } from '../helpers/scanner-context.ts';
import { tcpServer } from '../helpers/servers.ts';
import { SCANNER_ANY, SCANNER_NETWORK } from '../helpers/hostile-inputs.ts';

test('names are unique and limits are set', () => {
  assert.equal(new Set(SCANNERS.map((s) => s.name)).size, SCANNERS.length);
  for (const s of SCANNERS) {
    assert.ok(s.concurrency >= 1 && s.defaultTimeoutMs > 0 && s.maxOutputBytes > 0, s.name);
    assert.match(s.format, /^[a-z0-9-]+$/);
  }
  assert.throws(() => getScanner('nope'), { code: 'SCANNER_UNKNOWN' });
});

for (const scanner of SCANNERS) {
  test(`${scanner.name}: hostile targets are refused with no socket and no process`, async () => {
    const targets = scanner.targetKind === 'network' ? [...SCANNER_ANY, ...SCANNER_NETWORK] : SCANNER_ANY;
    for (const target of targets) {
      const io = spyIo();
      await assert.rejects(runScanner(scanner, { target }, loopbackContext({ io })), (error: unknown) => {
        assert.ok(error instanceof AsmvsError, `${target.slice(0, 30)}: ${String(error)}`);
        assert.match(error.code, /^TARGET_(INVALID|OUT_OF_SCOPE|TOO_LARGE)$/, `${target.slice(0, 30)}: ${error.code}`);
        assert.equal(error.retryable, false);
        assert.ok(error.message.length > 10);
        return true;
      });
      assert.deepEqual(io.calls, [], `${scanner.name} touched the network for ${target.slice(0, 30)}`);
    }
  });

  test(`${scanner.name}: an aborted signal stops it before any traffic`, async () => {
    const io = spyIo();
    const controller = new AbortController();
    controller.abort();
    const target = scanner.targetKind === 'network' ? '127.0.0.1' : 'alpine:3.20';
    await assert.rejects(
      runScanner(scanner, { target, ports: '80' }, loopbackContext({ io, signal: controller.signal })),
      { code: 'ABORTED' },
    );
    assert.deepEqual(io.calls, []);
  });
}

for (const name of ['trivy', 'grype', 'osv-scanner', 'nuclei']) {
  test(`${name}: not installed is reported clearly`, async () => {
    const target = name === 'nuclei' ? 'http://127.0.0.1:1/' : '/tmp';
    await assert.rejects(runScanner(getScanner(name), { target }, loopbackContext()), (error: unknown) => {
      assert.ok(error instanceof AsmvsError);
      assert.equal(error.code, 'SCANNER_NOT_INSTALLED');
      assert.match(error.message, new RegExp(`${name} is not installed`));
      return true;
    });
  });
}

test('built-in scanners return their native document and structured results', async () => {
  const server = await tcpServer((socket) => socket.end('SSH-2.0-OpenSSH_9.2p1 Debian-2\r\n'));
  try {
    for (const name of ['tcp-connect', 'service-id', 'asmvs-checks']) {
      const result = await runScanner(
        getScanner(name),
        { target: '127.0.0.1', ports: String(server.port) },
        loopbackContext(),
      );
      assert.equal(result.format, 'asmvs-checks-json');
      assert.equal(result.complete, true);
      const doc = JSON.parse(result.payload.toString('utf8')) as {
        schema: string;
        services: { port: number; service: string | null }[];
      };
      assert.equal(doc.schema, 'asmvs-checks/1');
      assert.deepEqual(
        doc.services.map((s) => s.port),
        [server.port],
      );
      assert.equal(result.services[0]?.service, name === 'tcp-connect' ? null : 'ssh');
    }
  } finally {
    await server.close();
  }
});
