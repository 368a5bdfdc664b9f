// When a monitored asset counts as gone (pure). Its monitor's rounds come every `everyMs`; an asset that none of
// the next ASSET_GONE_AFTER_ROUNDS rounds saw is reported ASSET_DISAPPEARED. Half a round of slack covers the time
// a round's discovery takes to reach the asset. Assets not found by a monitor are never reported gone: nobody looks
// for them again.

/** The monitor interval from the asset's label (MONITOR_LABELS.everyMs), or null if absent or not a positive count. */
export function monitorEveryMs(label: string | undefined): number | null {
  if (label === undefined || !/^\d{1,15}$/.test(label)) return null;
  const everyMs = Number(label);
  return everyMs > 0 ? everyMs : null;
}

export function goneAt(observedAt: number, everyMs: number, goneAfterRounds: number): number {
  return observedAt + everyMs * goneAfterRounds + Math.floor(everyMs / 2);
}
