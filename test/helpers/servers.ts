// Throwaway servers on 127.0.0.1 with an ephemeral port, closed by the test (with any connection still open).
import net from 'node:net';

export async function tcpServer(
  onConnection: (socket: net.Socket) => void,
): Promise<{ port: number; close: () => Promise<void> }> {
  const open = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    open.add(socket);
    socket.once('close', () => open.delete(socket));
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
        for (const socket of open) socket.destroy();
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
