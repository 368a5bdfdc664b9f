// asm_discovery's dependencies: the built-in discovery engine over the scanners' context and DNS.
import { builtinDiscovery } from '../engines/builtin-discovery.ts';
import type { DiscoveryDeps } from '../processors/asm-discovery.ts';
import type { Wiring } from './wiring.ts';

export function discoveryDeps(w: Wiring): DiscoveryDeps {
  return { discover: builtinDiscovery({ context: w.context, dns: w.dns }), now: w.now };
}
