// A ScannerIo that records every door a scanner tries to open and opens none of them.
import type { ScannerIo } from '../../src/scanners/io/scanner-io.ts';

export interface SpyIo extends ScannerIo {
  readonly calls: string[];
}

export function spyIo(): SpyIo {
  const calls: string[] = [];
  return {
    calls,
    connect: async (o) => {
      calls.push(`connect ${o.address}:${o.port}`);
      throw new Error('spy: no network');
    },
    probeConnect: (address, port) => {
      calls.push(`probeConnect ${address}:${port}`);
      throw new Error('spy: no network');
    },
    spawn: (command, args) => {
      calls.push(`spawn ${command} ${args.join(' ')}`);
      throw new Error('spy: no processes');
    },
  };
}
