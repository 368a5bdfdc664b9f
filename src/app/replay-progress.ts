// Replay progress (pure): how much of the ranges the group's committed offsets cover, the rate and the ETA.
import type { PartitionRange } from '../runtime/kafka/group-admin.ts';

export interface Progress {
  readonly done: number;
  readonly total: number;
  readonly ratePerSecond: number;
  readonly etaSeconds: number | null;
  readonly finished: boolean;
}

export function replayProgress(
  ranges: readonly PartitionRange[],
  committed: ReadonlyMap<number, bigint>,
  elapsedMs: number,
): Progress {
  let done = 0n;
  let total = 0n;
  for (const r of ranges) {
    total += r.end - r.start;
    const at = committed.get(r.partition) ?? -1n;
    const position = at < r.start ? r.start : at > r.end ? r.end : at;
    done += position - r.start;
  }
  const rate = elapsedMs > 0 ? (Number(done) * 1000) / elapsedMs : 0;
  const left = Number(total - done);
  return {
    done: Number(done),
    total: Number(total),
    ratePerSecond: rate,
    etaSeconds: left === 0 ? 0 : rate > 0 ? left / rate : null,
    finished: done === total,
  };
}

export function formatProgress(p: Progress): string {
  const eta = p.etaSeconds === null ? '?' : `${Math.ceil(p.etaSeconds)} s`;
  return `${p.done}/${p.total} raw findings, ${p.ratePerSecond.toFixed(0)}/s, ETA ${eta}`;
}
