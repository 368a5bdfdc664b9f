// The scanners, in one explicit list (no directory scanning, no import side effects), and the context they run in.
import { AsmvsError } from '../errors.ts';
import { checksScanner } from './builtin/checks-scanner.ts';
import { serviceIdScanner } from './builtin/service-id-scanner.ts';
import { tcpConnectScanner } from './builtin/tcp-connect-scanner.ts';
import { createDnsClient } from './dns/dns-client.ts';
import { grypeScanner } from './external/grype.ts';
import { nucleiScanner } from './external/nuclei.ts';
import { osvScanner } from './external/osv-scanner.ts';
import { trivyScanner } from './external/trivy.ts';
import { nodeIo, type ScannerIo } from './io/scanner-io.ts';
import { nmapScanner } from './nmap/nmap-scanner.ts';
import type { ScanContext, Scanner } from './scanner.ts';
import { operatorPolicy, type OperatorScope } from './scope/policy.ts';
import type { HostResolver } from './scope/resolve.ts';

export const SCANNERS: readonly Scanner[] = [
  tcpConnectScanner,
  serviceIdScanner,
  checksScanner,
  nmapScanner(),
  trivyScanner,
  grypeScanner,
  osvScanner,
  nucleiScanner,
];

export function getScanner(name: string): Scanner {
  const scanner = SCANNERS.find((s) => s.name === name);
  if (!scanner)
    throw new AsmvsError(
      'SCANNER_UNKNOWN',
      `no scanner named ${JSON.stringify(name.slice(0, 60))} (known: ${SCANNERS.map((s) => s.name).join(', ')})`,
    );
  return scanner;
}

/** The context scanners run in, from the frozen config (config.scope, config.scanners). */
export function scannerContext(
  config: {
    readonly scope: OperatorScope;
    readonly scanners: { readonly dnsResolver?: string; readonly nmapPath: string };
  },
  options: { signal: AbortSignal; io?: ScannerIo; resolver?: HostResolver; timeoutMs?: number },
): ScanContext {
  return {
    policy: operatorPolicy(config.scope),
    resolver: options.resolver ?? createDnsClient({ server: config.scanners.dnsResolver }),
    io: options.io ?? nodeIo,
    signal: options.signal,
    nmapPath: config.scanners.nmapPath,
    ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
  };
}

export { runScanner } from './run-scanner.ts';
export type { ScanContext, ScanInput, ScannerOutput, ScannerRun, Scanner, ServiceResult } from './scanner.ts';
