// The labels asm_scheduler writes on each monitored round's discovery request. They travel with the assets the round
// finds, so asm_exposure knows an asset is monitored and how often (the "gone" timer waits for missed rounds).
export const MONITOR_LABELS = {
  monitor: 'asmvs.monitor',
  everyMs: 'asmvs.monitor.every-ms',
  roundAt: 'asmvs.monitor.round-at',
} as const;
