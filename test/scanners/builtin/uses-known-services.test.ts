// A scan given the services discovery already identified (ScanInput.services) uses them for the ports that are
// still open and probes only the others: one identification per port across the pipeline.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { getScanner, runScanner } from '../../../src/scanners/index.ts';
import { loopbackContext } from '../../helpers/scanner-context.ts';
import { gets, recordingHttpServer, tlsHellos } from '../../helpers/recording-server.ts';
import { httpServiceAt } from '../../helpers/service.ts';
import { closedPort } from '../../helpers/servers.ts';

// Discovery's record of the port: the scan must use it as it is (product included).
const known = (port: number) => {
  const { host: _host, hostname: _hostname, ...service } = httpServiceAt(port, { product: 'recorder', version: '1.0' });
  return service;
};

test('the checks scanner takes known services as they are and identifies only without them', async () => {
  const server = await recordingHttpServer();
  const gone = await closedPort();
  try {
    const result = await runScanner(
      getScanner('asmvs-checks'),
      { target: '127.0.0.1', ports: [server.port, gone], services: [known(server.port), known(gone)] },
      loopbackContext(),
    );
    assert.deepEqual(
      result.services.map((s) => [s.port, s.service, s.product, s.host]),
      [[server.port, 'http', 'recorder', '127.0.0.1']],
      'a known service whose port has closed since is not reported',
    );
    assert.equal(tlsHellos(server), 0, 'no TLS probe: the port was not identified again');
    assert.equal(gets(server, '/'), 1, 'one GET /: the directory-listing check, no identification GET');
    assert.equal(gets(server, '/.git/HEAD'), 1);
    assert.ok(result.checks.some((c) => c.id === 'http-missing-security-headers' && c.port === server.port));

    const unaided = await runScanner(
      getScanner('asmvs-checks'),
      { target: '127.0.0.1', ports: [server.port] },
      loopbackContext(),
    );
    assert.equal(unaided.services[0]?.service, 'http');
    assert.equal(gets(server, '/'), 3, 'without them: an identification GET besides the check');
  } finally {
    await server.close();
  }
});
