// Loopback servers that record what each connection sent first, so a test can count probes: a TLS ClientHello
// starts with 0x16, an HTTP request with its method, a greeting wait sends nothing.
import type net from 'node:net';
import { tcpServer } from './servers.ts';

export interface RecordingServer {
  readonly port: number;
  /** The first bytes of each connection that sent any. */
  readonly firstBytes: Buffer[];
  close(): Promise<void>;
}

/** Records, then lets `answer` reply (or not). */
export async function recordingServer(answer: (first: Buffer, socket: net.Socket) => void): Promise<RecordingServer> {
  const firstBytes: Buffer[] = [];
  const server = await tcpServer((socket) =>
    socket.once('data', (data: Buffer) => {
      firstBytes.push(data);
      answer(data, socket);
    }),
  );
  return { port: server.port, firstBytes, close: server.close };
}

/** Answers GET with a small 200 and drops anything else. */
export function recordingHttpServer(): Promise<RecordingServer> {
  return recordingServer((data, socket) => {
    if (data.subarray(0, 4).toString('latin1') === 'GET ')
      socket.end('HTTP/1.1 200 OK\r\nServer: recorder/1.0\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok');
    else socket.destroy();
  });
}

/** How many connections asked for `GET <path> `. */
export function gets(server: RecordingServer, path: string): number {
  return server.firstBytes.filter((b) => b.toString('latin1').startsWith(`GET ${path} `)).length;
}

/** How many connections opened with a TLS handshake record. */
export function tlsHellos(server: RecordingServer): number {
  return server.firstBytes.filter((b) => b[0] === 0x16).length;
}
