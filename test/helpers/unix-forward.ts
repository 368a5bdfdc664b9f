// A TCP ↔ unix-socket forwarder, so that processes in a test's network namespace reach the broker and registry on
// the root namespace's loopback: inside the namespace it listens on 127.0.0.1:<port> and forwards each connection
// to a unix socket; in the root namespace `forwardUnixToTcp` does the other half. Kafka advertises 127.0.0.1:9092,
// so the namespace's own 127.0.0.1:9092 must lead there. Run: node unix-forward.ts <port> <unix path>…
import { createConnection, createServer, type Server } from 'node:net';

export function forwardTcpToUnix(port: number, path: string): Server {
  return createServer((client) => {
    const upstream = createConnection({ path });
    client.pipe(upstream).pipe(client);
    const close = () => (client.destroy(), upstream.destroy());
    client.on('error', close);
    upstream.on('error', close);
  }).listen(port, '127.0.0.1');
}

export function forwardUnixToTcp(path: string, port: number): Server {
  return createServer((client) => {
    const upstream = createConnection({ host: '127.0.0.1', port });
    client.pipe(upstream).pipe(client);
    const close = () => (client.destroy(), upstream.destroy());
    client.on('error', close);
    upstream.on('error', close);
  }).listen(path);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const pairs = process.argv.slice(2);
  const servers: Server[] = [];
  for (let i = 0; i + 1 < pairs.length; i += 2)
    servers.push(forwardTcpToUnix(Number(pairs[i]), pairs[i + 1] as string));
  await Promise.all(servers.map((s) => new Promise((r) => (s.listening ? r(undefined) : s.once('listening', r)))));
  process.stdout.write('ready\n');
  process.stdin.resume();
  process.stdin.on('end', () => process.exit(0));
}
