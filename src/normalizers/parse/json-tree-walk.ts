// The in-memory twin of JsonWalker for reports small enough to parse whole (JSON.parse is ~10x faster than any
// streaming tokenizer in JS): the same collectors see the same values, paths and scopes, in document order.
import { AsmvsError } from '../../errors.ts';
import type { Collector, PathSegment } from './json-walk.ts';

export interface TreeWalkResult {
  rootKeys: Set<string>;
}

/** Walks one parsed document (or, for JSON Lines, each value in turn). */
export function walkTree(values: readonly unknown[], collect: readonly Collector[]): TreeWalkResult {
  const rootKeys = new Set<string>();
  for (const root of values) {
    if (isRecord(root)) for (const k of Object.keys(root)) if (rootKeys.size < 256) rootKeys.add(k);
    visit(root, [], [], collect);
  }
  return { rootKeys };
}

function visit(
  value: unknown,
  path: PathSegment[],
  scope: Record<string, unknown>[],
  collect: readonly Collector[],
): void {
  const exact = collect.find((c) => matches(c.path, path, true));
  if (exact) {
    exact.onValue(value, path.slice(), scope);
    return;
  }
  if (value === null || typeof value !== 'object') return;
  if (!collect.some((c) => matches(c.path, path, false))) return;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      path.push(i);
      visit(value[i], path, scope, collect);
      path.pop();
    }
    return;
  }
  // scalars become visible to later siblings only, as in the streaming walker
  const scalars: Record<string, unknown> = {};
  const inner = [...scope, scalars];
  for (const [k, v] of Object.entries(value)) {
    path.push(k);
    if (v !== null && typeof v === 'object') visit(v, path, inner, collect);
    else if (collect.some((c) => matches(c.path, path, true))) visit(v, path, inner, collect);
    else if (typeof v !== 'string' || v.length <= 4096) scalars[k] = v;
    path.pop();
  }
}

function matches(pattern: readonly string[], path: readonly PathSegment[], exact: boolean): boolean {
  if (exact ? path.length !== pattern.length : path.length >= pattern.length) return false;
  for (let i = 0; i < path.length; i++) {
    const p = pattern[i];
    if (p !== '*' && p !== String(path[i])) return false;
  }
  return true;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** Refuses nesting deeper than maxDepth before JSON.parse builds it (strings are skipped, escapes honoured). */
export function checkNesting(bytes: Uint8Array, maxDepth: number): void {
  if (fewOpenings(bytes, maxDepth)) return;
  let depth = 0;
  let inString = false;
  for (let i = 0; i < bytes.length; i++) {
    const c = bytes[i];
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > maxDepth)
        throw new AsmvsError('REPORT_UNSAFE', `the JSON report nests deeper than ${maxDepth} levels`);
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
}

/**
 * True when the document holds at most `max` opening brackets (inside strings or not): it cannot nest deeper than
 * that, and the byte-by-byte scan is skipped. indexOf is native, so a small report is checked in a few jumps.
 */
function fewOpenings(bytes: Uint8Array, max: number): boolean {
  let count = 0;
  for (const bracket of [0x7b, 0x5b]) {
    for (let i = bytes.indexOf(bracket); i !== -1; i = bytes.indexOf(bracket, i + 1)) if (++count > max) return false;
  }
  return true;
}
