// Open TCP ports and what runs on them (banners, HTTP, TLS, protocol probes): what asm_discovery records.
import { builtinScanner } from './builtin-scanner.ts';

export const serviceIdScanner = builtinScanner({
  name: 'service-id',
  identify: true,
  checks: false,
  defaultPorts: 'top-1000',
  concurrency: 4,
  defaultTimeoutMs: 15 * 60_000,
  maxOutputBytes: 8 * 1024 * 1024,
});
