// Port specs: a top list (top-10, top-100, top-1000: nmap's most often open), all, or ports and ranges (22,80,8000-8100).
// (A scan *profile* — fast, default, full — is src/engines/profiles.ts: a top list plus the attack-surface ports.)
import { AsmvsError } from '../../errors.ts';
import { TOP_TCP_PORTS } from '../tcp/top-ports.gen.ts';

export const MAX_PORT_SPEC_LENGTH = 4096;

function invalid(spec: string, reason: string): AsmvsError {
  const shown = spec.length > 60 ? `${spec.slice(0, 60)}…` : spec;
  return new AsmvsError('TARGET_INVALID', `invalid port spec ${JSON.stringify(shown)}: ${reason}`, {
    details: { reason },
  });
}

function port(spec: string, text: string): number {
  if (!/^\d{1,5}$/.test(text)) throw invalid(spec, `${JSON.stringify(text.slice(0, 20))} is not a port number`);
  const n = Number(text);
  if (n < 1 || n > 65535) throw invalid(spec, `port ${n} is outside 1-65535`);
  return n;
}

/** An explicit list (e.g. a scan profile already expanded): each must be a port number; duplicates dropped. */
function portList(ports: readonly number[], maxPorts: number): number[] {
  const seen = new Set<number>();
  for (const p of ports) {
    if (!Number.isInteger(p) || p < 1 || p > 65535) throw invalid(String(p), `port ${p} is outside 1-65535`);
    seen.add(p);
  }
  if (seen.size > maxPorts)
    throw new AsmvsError('TARGET_TOO_LARGE', `the port list names more than ${maxPorts} ports`, {
      details: { reason: 'too many ports' },
    });
  if (seen.size === 0) throw invalid('', 'is empty');
  return [...seen];
}

/** The ports a spec names, without duplicates, in the spec's order (profiles: most frequently open first). */
export function parsePorts(spec: string | readonly number[], maxPorts = 65535): number[] {
  if (typeof spec !== 'string') return portList(spec, maxPorts);
  const trimmed = spec.trim().toLowerCase();
  if (trimmed === '') throw invalid(spec, 'is empty');
  if (trimmed.length > MAX_PORT_SPEC_LENGTH) throw invalid(spec, `is longer than ${MAX_PORT_SPEC_LENGTH} characters`);
  const profile = /^top-(\d+)$/.exec(trimmed);
  if (profile) {
    const n = Number(profile[1]);
    if (n < 1 || n > TOP_TCP_PORTS.length) throw invalid(spec, `top-N needs 1 <= N <= ${TOP_TCP_PORTS.length}`);
    return TOP_TCP_PORTS.slice(0, n);
  }
  if (trimmed === 'all' || trimmed === '-') return Array.from({ length: 65535 }, (_, i) => i + 1);
  const seen = new Set<number>();
  for (const part of trimmed.split(',')) {
    const range = /^(\d+)-(\d+)$/.exec(part);
    if (range) {
      const lo = port(spec, range[1] ?? '');
      const hi = port(spec, range[2] ?? '');
      if (lo > hi) throw invalid(spec, `range ${part} runs backwards`);
      for (let p = lo; p <= hi; p++) seen.add(p);
    } else {
      seen.add(port(spec, part));
    }
    if (seen.size > maxPorts) {
      throw new AsmvsError('TARGET_TOO_LARGE', `port spec names more than ${maxPorts} ports`, {
        details: { reason: 'too many ports' },
      });
    }
  }
  return [...seen];
}
