import { operatorPolicy } from '../../src/scanners/scope/policy.ts';
import type { ScanContext } from '../../src/scanners/scanner.ts';
import type { ScannerIo } from '../../src/scanners/io/scanner-io.ts';
import { nodeIo } from '../../src/scanners/io/scanner-io.ts';
import { AsmvsError } from '../../src/errors.ts';

/** Loopback-only policy and a resolver that knows only names the test gives it: no real DNS. */
export function loopbackContext(
  options: { io?: ScannerIo; signal?: AbortSignal; zone?: Record<string, string[]>; nmapPath?: string } = {},
): ScanContext {
  return {
    policy: operatorPolicy({ allow: ['127.0.0.0/8', '::1/128'], deny: [], allowMetadata: false, maxAddresses: 65_536 }),
    resolver: {
      async resolveHost(name) {
        const answer = options.zone?.[name];
        if (!answer) throw new AsmvsError('DNS_NOT_FOUND', `${name} is not in the test zone`);
        return answer;
      },
    },
    io: options.io ?? nodeIo,
    signal: options.signal ?? new AbortController().signal,
    nmapPath: options.nmapPath ?? 'nmap',
  };
}
