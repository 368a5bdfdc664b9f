// Run inside the hosts' network namespace (test/helpers/netns-range.ts): on each given address, an HTTP server on
// 80, an SSH-like banner on 22 and a TLS server on 443 (certificate and key files from the arguments). Prints
// "ready" once every listener is up; exits when its stdin closes, so it never outlives the test that started it.
import { createServer as createHttp } from 'node:http';
import { createServer as createTcp } from 'node:net';
import { readFileSync } from 'node:fs';
import { createServer as createTls } from 'node:tls';

const [certFile, keyFile, ...addresses] = process.argv.slice(2);
const cert = readFileSync(certFile as string);
const key = readFileSync(keyFile as string);

function listening(
  server: {
    listen(port: number, host: string, cb: () => void): unknown;
    once(e: 'error', f: (e: Error) => void): unknown;
  },
  port: number,
  host: string,
): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
}

const servers = addresses.flatMap((address) => [
  listening(
    createHttp((_req, res) => {
      res.setHeader('Server', 'nginx/1.24.0');
      res.end('<html><title>range host</title></html>');
    }),
    80,
    address,
  ),
  listening(
    createTcp((socket) => {
      socket.on('error', () => undefined);
      socket.end('SSH-2.0-OpenSSH_9.2p1 Debian-2\r\n');
    }),
    22,
    address,
  ),
  listening(
    createTls({ cert, key }, (socket) => {
      socket.on('error', () => undefined);
      socket.end('HTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n');
    }).on('tlsClientError', () => undefined),
    443,
    address,
  ),
]);
await Promise.all(servers);
process.stdout.write('ready\n');
process.stdin.resume();
process.stdin.on('end', () => process.exit(0));
process.stdin.on('close', () => process.exit(0));
