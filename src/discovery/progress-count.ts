// asm_progress's count of one discovery request (pure): how many host items the expansion announced, and which of
// them are done, each counted once however often it is reported (at-least-once delivery, crashes). Done items are
// a low-water mark plus a bitmap above it, as offsets are tracked: hosts finish roughly in index order, so the
// bitmap stays the width of what is in flight, not the size of the range.
import { AsmvsError } from '../errors.ts';
import type { DiscoveryProgress } from '../schemas/types.gen.ts';

export interface ProgressCounts {
  readonly up: number;
  readonly down: number;
  readonly failed: number;
  readonly assets: number;
  readonly openPorts: number;
  readonly unresolved: number;
}

export interface ProgressState {
  /** The next chunk number expected (older chunks are duplicates). */
  readonly chunks: number;
  /** Host items announced so far. */
  readonly expanded: number;
  /** The last chunk arrived: `expanded` is the total. */
  readonly final: boolean;
  /** Every index below is done. */
  readonly low: number;
  /** Done indexes at and above `low`: bit i of the bitmap is index low + i (base64). */
  readonly above: string;
  readonly counts: ProgressCounts;
  readonly startedAt: number;
  readonly completedAt: number | null;
}

export const NO_COUNTS: ProgressCounts = { up: 0, down: 0, failed: 0, assets: 0, openPorts: 0, unresolved: 0 };

export function newProgress(now: number): ProgressState {
  return {
    chunks: 0,
    expanded: 0,
    final: false,
    low: 0,
    above: '',
    counts: NO_COUNTS,
    startedAt: now,
    completedAt: null,
  };
}

export function doneCount(state: ProgressState): number {
  let n = state.low;
  for (const byte of Buffer.from(state.above, 'base64')) for (let b = byte; b !== 0; b &= b - 1) n += 1;
  return n;
}

export function isComplete(state: ProgressState): boolean {
  return state.final && doneCount(state) >= state.expanded;
}

/** Applies one report; `counted` is false for a duplicate (the state is returned unchanged). */
export function applyProgress(
  state: ProgressState,
  event: DiscoveryProgress,
): { state: ProgressState; counted: boolean } {
  if (event.kind === 'EXPANDED') {
    if (event.chunk < state.chunks) return { state, counted: false };
    return {
      counted: true,
      state: {
        ...state,
        chunks: event.chunk + 1,
        expanded: Math.max(state.expanded, Number(event.firstIndex) + event.items),
        final: state.final || event.final,
        counts: add(state.counts, { assets: event.assets, unresolved: event.unresolved }),
      },
    };
  }
  const index = Number(event.index);
  const marked = mark(state, index);
  if (!marked) return { state, counted: false };
  const outcome = event.errorCode !== null ? { failed: 1 } : event.up ? { up: 1 } : { down: 1 };
  return {
    counted: true,
    state: {
      ...state,
      ...marked,
      counts: add(state.counts, { ...outcome, assets: event.assets, openPorts: event.openPorts }),
    },
  };
}

function add(counts: ProgressCounts, more: Partial<ProgressCounts>): ProgressCounts {
  const out = { ...counts };
  for (const [k, v] of Object.entries(more) as [keyof ProgressCounts, number][]) out[k] += v;
  return out;
}

/** Marks an index done: the new low-water mark and bitmap, or undefined when it was done already. */
function mark(state: ProgressState, index: number): Pick<ProgressState, 'low' | 'above'> | undefined {
  if (!Number.isSafeInteger(index) || index < 0)
    throw new AsmvsError('KEYED_STATE_INVALID', `a host item index must be a whole number, got ${index}`);
  if (index < state.low) return undefined;
  const offset = index - state.low;
  const old = Buffer.from(state.above, 'base64');
  const bits = Buffer.alloc(Math.max(old.length, (offset >> 3) + 1));
  old.copy(bits);
  const byte = offset >> 3;
  const bit = 1 << (offset & 7);
  if (((bits[byte] as number) & bit) !== 0) return undefined;
  bits[byte] = (bits[byte] as number) | bit;
  // Advance the low-water mark over the leading done items, whole bytes at a time.
  let skip = 0;
  while (skip < bits.length && bits[skip] === 0xff) skip += 1;
  let low = state.low + skip * 8;
  let rest: Buffer = bits.subarray(skip);
  let shift = 0;
  while (rest.length > 0 && ((rest[0] as number) >> shift) & 1) shift += 1;
  if (shift > 0) {
    rest = shiftRight(rest, shift);
    low += shift;
  }
  let end = rest.length;
  while (end > 0 && rest[end - 1] === 0) end -= 1;
  return { low, above: rest.subarray(0, end).toString('base64') };
}

/** The bitmap without its first `n` bits (n < 8). */
function shiftRight(bits: Buffer, n: number): Buffer {
  const out = Buffer.alloc(bits.length);
  for (let i = 0; i < bits.length; i++)
    out[i] = (((bits[i] as number) >> n) | (((bits[i + 1] ?? 0) << (8 - n)) & 0xff)) & 0xff;
  return out;
}
