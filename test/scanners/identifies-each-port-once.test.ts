// The one-shot scan runs discovery (service-id) and then the checks scan (asmvs-checks) on what discovery found:
// the services discovery identified travel with the scan request and job, so each open port is identified once.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { oneShotScan } from '../../src/app/one-shot-scan.ts';
import { loadConfig } from '../../src/config/load.ts';
import { createLogger } from '../../src/observability/logger.ts';
import { gets, recordingHttpServer, tlsHellos } from '../helpers/recording-server.ts';

test('a one-shot scan identifies each open port once', async () => {
  const server = await recordingHttpServer();
  try {
    const config = loadConfig({ LOG_LEVEL: 'silent', METRICS_PORT: '0', SCOPE_ALLOW: '127.0.0.0/8' });
    const result = await oneShotScan(config, '127.0.0.1', {
      profile: 'default',
      ports: String(server.port),
      logger: createLogger({ level: 'silent', secrets: [] }),
      signal: new AbortController().signal,
    });
    const service = result.findings.find((f) => f.findingType === 'SERVICE');
    assert.equal(service?.asset.service, 'http');
    assert.equal(service?.asset.product, 'recorder');
    assert.equal(tlsHellos(server), 1, 'one TLS probe');
    assert.equal(gets(server, '/'), 2, 'one identification GET and the directory-listing check');
  } finally {
    await server.close();
  }
});
