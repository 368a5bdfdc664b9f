// Throwaway servers on 127.0.0.1 with an ephemeral port, closed by the test.
import net from 'node:net';

export async function tcpServer(
  onConnection: (socket: net.Socket) => void,
): Promise<{ port: number; close: () => Promise<void> }> {
  const server = net.createServer((socket) => {
    // Port scans reset their connections: that is expected, not a test failure.
    socket.on('error', () => undefined);
    onConnection(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.emit('close');
      }),
  };
}

/** A port on 127.0.0.1 that nothing listens on (bound then released). */
export async function closedPort(): Promise<number> {
  const s = await tcpServer(() => undefined);
  await s.close();
  return s.port;
}
