// When a periodic round is due next. Rounds keep their phase (due, due + every, due + 2·every …); after an outage
// the missed rounds are skipped, so a schedule that was stopped for a day fires once on recovery, not once per
// missed interval.

/** The first round after `now` on the grid of `lastDue` + k·`everyMs` (k ≥ 1). */
export function nextDue(lastDue: number, everyMs: number, now: number): number {
  if (!(everyMs > 0)) throw new RangeError(`everyMs must be positive, got ${everyMs}`);
  const next = lastDue + everyMs;
  if (next > now) return next;
  return lastDue + (Math.floor((now - lastDue) / everyMs) + 1) * everyMs;
}

/** How many rounds were due between `due` and `now` but skipped (0 when the round fired on time). */
export function missedRounds(due: number, everyMs: number, now: number): number {
  return now - due < everyMs ? 0 : Math.floor((now - due) / everyMs);
}
