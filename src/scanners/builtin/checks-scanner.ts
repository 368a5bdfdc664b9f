// Ports, services and the read-only exposure checks: the built-in vulnerability scan.
import { builtinScanner } from './builtin-scanner.ts';

export const checksScanner = builtinScanner({
  name: 'asmvs-checks',
  identify: true,
  checks: true,
  defaultPorts: 'top-1000',
  concurrency: 4,
  defaultTimeoutMs: 20 * 60_000,
  maxOutputBytes: 8 * 1024 * 1024,
});
