// The rescan policy (RESCAN_POLICY): how often an asset is scanned again, by its tags and exposure score. Rules are
// tried in order and the first that matches gives the interval:
//   tag:<tag>=<duration>      the asset's exposure has the tag (e.g. tag:database=12h)
//   score:<n>=<duration>      the exposure score is at least n (0–100)
//   level:<LEVEL>=<duration>  the exposure level (e.g. level:CRITICAL=6h)
//   *=<duration>              every asset
// "off" (or an empty policy) turns scheduled rescans off; an asset no rule matches is not rescanned.
import { AsmvsError } from '../errors.ts';
import { parseDuration } from '../durations.ts';

export type RescanRule =
  | { readonly kind: 'tag'; readonly tag: string; readonly everyMs: number }
  | { readonly kind: 'score'; readonly min: number; readonly everyMs: number }
  | { readonly kind: 'level'; readonly level: string; readonly everyMs: number }
  | { readonly kind: 'any'; readonly everyMs: number };

/** The rules, or an Error naming the rule that is wrong. `minEveryMs` is the operator's floor for any interval. */
export function parseRescanPolicy(text: string, minEveryMs: number): RescanRule[] {
  const trimmed = text.trim();
  if (trimmed === '' || trimmed === 'off') return [];
  return trimmed.split(',').map((raw) => {
    const rule = raw.trim();
    const eq = rule.lastIndexOf('=');
    const fail = (why: string) =>
      new AsmvsError(
        'CONFIG_INVALID',
        `rule ${JSON.stringify(rule)}: ${why} (rules: tag:<tag>=<every>, score:<n>=<every>, level:<LEVEL>=<every>, *=<every>)`,
      );
    if (eq <= 0) throw fail('expected <selector>=<duration>');
    const selector = rule.slice(0, eq).trim();
    let everyMs: number;
    try {
      everyMs = parseDuration(rule.slice(eq + 1));
    } catch (error) {
      throw fail((error as Error).message);
    }
    if (everyMs < minEveryMs) throw fail(`the interval is below the minimum of ${minEveryMs} ms`);
    if (selector === '*') return { kind: 'any', everyMs };
    const colon = selector.indexOf(':');
    const kind = selector.slice(0, colon);
    const arg = selector.slice(colon + 1);
    if (colon <= 0 || arg === '') throw fail('unknown selector');
    if (kind === 'tag') return { kind: 'tag', tag: arg, everyMs };
    if (kind === 'level') return { kind: 'level', level: arg.toUpperCase(), everyMs };
    if (kind === 'score') {
      const min = Number(arg);
      if (!Number.isInteger(min) || min < 0 || min > 100) throw fail('score must be a whole number from 0 to 100');
      return { kind: 'score', min, everyMs };
    }
    throw fail('unknown selector');
  });
}

/** The interval of the first rule that matches the exposure, or undefined (no scheduled rescan). */
export function rescanInterval(
  rules: readonly RescanRule[],
  exposure: { readonly tags: readonly string[]; readonly score: number; readonly level: string },
): number | undefined {
  for (const rule of rules) {
    if (
      rule.kind === 'any' ||
      (rule.kind === 'tag' && exposure.tags.includes(rule.tag)) ||
      (rule.kind === 'score' && exposure.score >= rule.min) ||
      (rule.kind === 'level' && exposure.level === rule.level)
    )
      return rule.everyMs;
  }
  return undefined;
}
