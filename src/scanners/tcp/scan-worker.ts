// Worker-thread entry: one share of a parallel port scan. Creating a net.Socket is CPU-bound in Node, so on a
// multi-core host two threads scan a full port range markedly faster than one.
import { parentPort, workerData } from 'node:worker_threads';
import { nodeIo } from '../io/scanner-io.ts';
import { scanTcpPorts, type PortScanOptions } from './connect-scan.ts';

type Share = Omit<PortScanOptions, 'io' | 'signal'>;

// Every closed port is an ECONNREFUSED Error, and capturing 65,535 stack traces costs about as much as the
// connects themselves. This isolate only scans, so it keeps none.
Error.stackTraceLimit = 0;

const share = workerData as Share;
scanTcpPorts({ ...share, io: nodeIo }).then(
  (result) => parentPort?.postMessage({ ok: true, result }),
  (error: unknown) =>
    parentPort?.postMessage({ ok: false, message: error instanceof Error ? error.message : String(error) }),
);
