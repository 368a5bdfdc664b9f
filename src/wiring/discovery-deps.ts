// asm_discovery's dependencies: the request's scope policy, the DNS half of expansion, the chunk size.
import { nameExpansion } from '../engines/name-expansion.ts';
import type { DiscoveryDeps } from '../processors/asm-discovery.ts';
import { narrowPolicy, operatorPolicy } from '../scanners/scope/policy.ts';
import type { Wiring } from './wiring.ts';

export async function discoveryDeps(w: Wiring): Promise<DiscoveryDeps> {
  const operator = operatorPolicy(w.config.scope);
  return {
    policy: (request) => narrowPolicy(operator, request.scope),
    expandName: nameExpansion({ context: await w.contexts(), dns: w.dns }),
    chunkSize: w.config.discovery.chunkHosts,
    now: w.now,
  };
}
