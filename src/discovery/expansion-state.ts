// asm_discovery's per-request state: where its expansion stands. Kept as JSON in keyed state (a bigint offset as
// text: an IPv6 range's offsets pass 2^53).
import { AsmvsError } from '../errors.ts';

export interface ExpansionState {
  /** The next unit of the plan to expand, and how far into it (a range's addresses examined). */
  readonly unit: number;
  readonly offset: bigint;
  /** Host items emitted so far: the next item's index. */
  readonly emitted: number;
  /** Chunks emitted so far: the next chunk's number. */
  readonly chunk: number;
  /** The last chunk is out. */
  readonly done: boolean;
}

interface Stored {
  readonly unit: number;
  readonly offset: string;
  readonly emitted: number;
  readonly chunk: number;
  readonly done: boolean;
}

export function writeCursor(state: ExpansionState): Stored {
  return { ...state, offset: state.offset.toString() };
}

export function readCursor(value: unknown): ExpansionState | undefined {
  if (value === undefined) return undefined;
  const s = value as Partial<Stored> | null;
  if (
    !s ||
    typeof s.unit !== 'number' ||
    typeof s.offset !== 'string' ||
    !/^\d+$/.test(s.offset) ||
    typeof s.emitted !== 'number' ||
    typeof s.chunk !== 'number' ||
    typeof s.done !== 'boolean'
  )
    throw new AsmvsError(
      'KEYED_STATE_INVALID',
      `asm_discovery state is malformed: ${JSON.stringify(value).slice(0, 200)}`,
    );
  return { unit: s.unit, offset: BigInt(s.offset), emitted: s.emitted, chunk: s.chunk, done: s.done };
}
