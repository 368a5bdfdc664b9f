// The exposure score (0-100). The rules are in docs/exposure.md; change both together.

export const LEVEL_BASE = { PUBLIC: 40, INTERNAL: 10 } as const;

export const TAG_WEIGHTS: Readonly<Record<string, number>> = {
  unauthenticated: 25,
  'default-credentials': 25,
  database: 15,
  'remote-admin': 10,
  'message-broker': 10,
  'sensitive-files': 10,
  'file-transfer': 5,
  'expired-cert': 5,
  'self-signed-cert': 5,
  'old-tls': 5,
  web: 3,
  mail: 3,
};

export const PER_OPEN_PORT = 1;
export const OPEN_PORT_CAP = 10;

export interface ScoreInput {
  readonly level: 'PUBLIC' | 'INTERNAL';
  readonly tags: readonly string[];
  readonly openPorts: number;
}

/** Points and the reason for each, so the score explains itself. */
export function exposureScore(input: ScoreInput): { score: number; reasons: string[] } {
  if (input.openPorts === 0 && input.tags.length === 0) return { score: 0, reasons: ['no open service seen'] };
  const reasons: string[] = [`${input.level.toLowerCase()} address: +${LEVEL_BASE[input.level]}`];
  let score = LEVEL_BASE[input.level];
  for (const tag of input.tags) {
    const w = TAG_WEIGHTS[tag];
    if (!w) continue;
    score += w;
    reasons.push(`${tag}: +${w}`);
  }
  const ports = Math.min(OPEN_PORT_CAP, input.openPorts * PER_OPEN_PORT);
  if (ports > 0) {
    score += ports;
    reasons.push(`${input.openPorts} open port(s): +${ports}`);
  }
  return { score: Math.min(100, score), reasons };
}
