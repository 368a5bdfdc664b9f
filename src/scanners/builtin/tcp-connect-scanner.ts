// Open TCP ports only: the fast discovery pass.
import { builtinScanner } from './builtin-scanner.ts';

export const tcpConnectScanner = builtinScanner({
  name: 'tcp-connect',
  identify: false,
  checks: false,
  defaultPorts: 'top-1000',
  concurrency: 4,
  defaultTimeoutMs: 10 * 60_000,
  maxOutputBytes: 8 * 1024 * 1024,
});
