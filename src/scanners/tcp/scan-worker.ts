// Worker-thread entry: shares of parallel port scans, one after another (parallel-scan.ts keeps the worker between
// scans). A connect costs CPU (the kernel's part on loopback, and Node's), so on a multi-core host two threads scan
// a full port range markedly faster than one.
import { parentPort } from 'node:worker_threads';
// The connect probe alone, not nodeIo: scanner-io.ts also loads tls and child_process, which a share never uses
// and every worker would load again.
import { connectProbe } from '../io/connect-probe.ts';
import { scanTcpPorts, type PortScanOptions } from './connect-scan.ts';

export type Share = Omit<PortScanOptions, 'io' | 'signal' | 'budget'>;

// Where the probe falls back to net.Socket, every closed port is an ECONNREFUSED Error, and capturing 65,535 stack
// traces costs about as much as the connects themselves. This isolate only scans, so it keeps none.
Error.stackTraceLimit = 0;

parentPort?.on('message', (share: Share) => {
  scanTcpPorts({ ...share, io: { probeConnect: connectProbe } }).then(
    (result) => parentPort?.postMessage({ ok: true, result }),
    (error: unknown) =>
      parentPort?.postMessage({ ok: false, message: error instanceof Error ? error.message : String(error) }),
  );
});
