// Must show: an HTTPS server with an expired self-signed certificate and no security headers yields exactly those
// findings; a clean server yields none of them.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { getScanner, runScanner } from '../../../src/scanners/index.ts';
import { makeCerts } from '../../helpers/certs.ts';
import { loopbackContext } from '../../helpers/scanner-context.ts';

const SECURE_HEADERS = {
  'content-security-policy': "default-src 'self'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'strict-transport-security': 'max-age=31536000',
};

let servers: https.Server[] = [];
let badPort = 0;
let cleanPort = 0;
let gitPort = 0;

async function listen(server: https.Server): Promise<number> {
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

before(async () => {
  const certs = makeCerts();
  badPort = await listen(https.createServer(certs.expiredSelfSigned, (_req, res) => res.end('<title>bad</title>')));
  cleanPort = await listen(
    https.createServer(certs.caSigned, (req, res) => {
      res.writeHead(req.url === '/' ? 200 : 404, SECURE_HEADERS).end('<title>clean</title>');
    }),
  );
  gitPort = await listen(
    https.createServer(certs.caSigned, (req, res) => {
      if (req.url === '/.git/HEAD') res.writeHead(200, SECURE_HEADERS).end('ref: refs/heads/main\n');
      else
        res
          .writeHead(200, { ...SECURE_HEADERS, server: 'Apache/2.4.57 (Debian)' })
          .end('<html><title>Index of /</title><h1>Index of /</h1></html>');
    }),
  );
});

after(() => {
  for (const s of servers) s.close();
  servers = [];
});

async function findings(port: number): Promise<string[]> {
  const result = await runScanner(
    getScanner('asmvs-checks'),
    { target: `127.0.0.1`, ports: String(port) },
    loopbackContext(),
  );
  return result.checks.map((c) => c.id).sort();
}

test('expired self-signed certificate and no security headers: exactly those findings', async () => {
  assert.deepEqual(await findings(badPort), [
    'http-missing-security-headers',
    'tls-certificate-expired',
    'tls-certificate-self-signed',
  ]);
});

test('a clean server yields none of them', async () => {
  assert.deepEqual(await findings(cleanPort), []);
});

test('directory listing, server version and an exposed .git are found', async () => {
  assert.deepEqual(await findings(gitPort), [
    'http-directory-listing',
    'http-git-exposed',
    'http-server-version-disclosure',
  ]);
});

test('the service carries TLS and HTTP facts', async () => {
  const result = await runScanner(
    getScanner('service-id'),
    { target: 'https://127.0.0.1:' + badPort + '/' },
    loopbackContext(),
  );
  const s = result.services[0];
  assert.equal(s?.service, 'https');
  assert.equal(s?.tls?.selfSigned, true);
  assert.equal(s?.tls?.notAfter, Date.parse('2020-02-01T00:00:00Z'));
  assert.ok(s?.tls?.protocols.includes('TLSv1.3'));
  assert.ok(!s?.tls?.protocols.includes('TLSv1'));
  assert.equal(s?.http?.title, 'bad');
  assert.equal(s?.http?.status, 200);
});
