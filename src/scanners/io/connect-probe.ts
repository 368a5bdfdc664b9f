// One bare TCP connect, the port scan's unit of work: open a connection to address:port, report how that ended,
// close it again (with RST when it opened: no TIME_WAIT pile-up, and the service sees a bare connect).
//
// A full port range is 65,535 of these, and through net.Socket each one also builds and tears down a stream
// (constructor, destroy, an error object, nextTicks, close events): on loopback that JavaScript cost more CPU than
// the kernel's work on the connect itself (2 worker threads: about 1.05 s user time per range, nmap -sT 0.1 s).
// So where Node still gives it, the probe drives the TCP handle that net.Socket wraps (libuv's uv_tcp_t, from
// process.binding('tcp_wrap'), deprecated in the docs as DEP0111 but allow-listed and working in Node 24), with
// exactly the calls net.Socket makes on it: connect, getsockname/getpeername, reset, close. Where it is missing or
// refused (a later Node, --permission), the probe is net.Socket's, with the same outcomes.
import net from 'node:net';
import { getSystemErrorName } from 'node:util';

/**
 * How one connect ended: `open` (the handshake completed), `self-connect` (a loopback connect to a port in the
 * ephemeral range that picked that same port as its source: TCP simultaneous open, no service), `refused` (RST:
 * closed), or `failed` with the system error code (EHOSTUNREACH, ETIMEDOUT, EMFILE …).
 */
export type ConnectOutcome = 'open' | 'self-connect' | 'refused' | 'failed';

/** Called once per probe, asynchronously, unless the probe was cancelled first. `code` is set when `failed`. */
export type ConnectDone = (outcome: ConnectOutcome, code?: string) => void;

/** Starts one connect to a literal address; returns the function that cancels it (closes it unreported). */
export type ConnectProbe = (address: string, port: number, done: ConnectDone) => () => void;

export const socketConnectProbe: ConnectProbe = (address, port, done) => {
  const socket = new net.Socket();
  let pending = true;
  socket.on('connect', () => {
    if (!pending) return;
    pending = false;
    const selfConnect = socket.localPort === port && socket.localAddress === socket.remoteAddress;
    socket.resetAndDestroy();
    done(selfConnect ? 'self-connect' : 'open');
  });
  socket.on('error', (error: NodeJS.ErrnoException) => {
    socket.destroy();
    if (!pending) return;
    pending = false;
    if (error.code === 'ECONNREFUSED') done('refused');
    else done('failed', error.code ?? error.message);
  });
  socket.connect({ host: address, port });
  return () => {
    if (!pending) return;
    pending = false;
    socket.destroy();
  };
};

// The few members of the tcp_wrap binding the probe uses (what lib/net.js calls).
interface TcpHandle {
  connect(req: ConnectReq, address: string, port: number): number;
  connect6(req: ConnectReq, address: string, port: number): number;
  getsockname(out: { address?: string; port?: number }): number;
  getpeername(out: { address?: string; port?: number }): number;
  reset(): number;
  close(): void;
}
interface ConnectReq {
  oncomplete: (status: number) => void;
}
interface TcpWrapBinding {
  TCP: new (type: number) => TcpHandle;
  TCPConnectWrap: new () => ConnectReq;
  constants: { SOCKET: number };
}

function tcpWrapBinding(): TcpWrapBinding | undefined {
  try {
    const binding = (process as unknown as { binding(name: string): Partial<TcpWrapBinding> }).binding('tcp_wrap');
    const proto = binding.TCP?.prototype as Partial<Record<keyof TcpHandle, unknown>> | undefined;
    const usable =
      typeof binding.TCPConnectWrap === 'function' &&
      typeof binding.constants?.SOCKET === 'number' &&
      proto !== undefined &&
      (['connect', 'connect6', 'getsockname', 'getpeername', 'reset', 'close'] as const).every(
        (m) => typeof proto[m] === 'function',
      );
    return usable ? (binding as TcpWrapBinding) : undefined;
  } catch {
    return undefined;
  }
}

function handleConnectProbeOf(binding: TcpWrapBinding): ConnectProbe {
  const { TCP, TCPConnectWrap, constants } = binding;
  return (address, port, done) => {
    const handle = new TCP(constants.SOCKET);
    const req = new TCPConnectWrap();
    let pending = true;
    // libuv's status: 0, or a negative errno (a cancelled connect completes with ECANCELED: already unreported).
    req.oncomplete = (status) => {
      if (!pending) return;
      pending = false;
      if (status !== 0) {
        handle.close();
        const code = getSystemErrorName(status);
        if (code === 'ECONNREFUSED') done('refused');
        else done('failed', code);
        return;
      }
      const local: { address?: string; port?: number } = {};
      const remote: { address?: string; port?: number } = {};
      handle.getsockname(local);
      handle.getpeername(remote);
      if (handle.reset() !== 0) handle.close();
      done(local.port === port && local.address === remote.address ? 'self-connect' : 'open');
    };
    const error = net.isIPv6(address) ? handle.connect6(req, address, port) : handle.connect(req, address, port);
    // Failing at once (EMFILE, EADDRNOTAVAIL …) is still reported asynchronously, as net.Socket does.
    if (error !== 0) process.nextTick(req.oncomplete, error);
    return () => {
      if (!pending) return;
      pending = false;
      handle.close();
    };
  };
}

const binding = tcpWrapBinding();

/** The probe on libuv's TCP handle, or undefined where this Node does not give it. */
export const handleConnectProbe: ConnectProbe | undefined = binding ? handleConnectProbeOf(binding) : undefined;

/** The cheapest probe this Node has. */
export const connectProbe: ConnectProbe = handleConnectProbe ?? socketConnectProbe;
