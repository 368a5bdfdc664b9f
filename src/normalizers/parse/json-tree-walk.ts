// The in-memory twin of JsonWalker for reports small enough to parse whole (JSON.parse is ~10x faster than any
// streaming tokenizer in JS): the same collectors see the same values, paths and scopes, in document order.
import { LIMITS, reportUnsafe } from './limits.ts';
import { matches } from './json-walk.ts';
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
  let fields = 0;
  for (const [k, v] of Object.entries(value)) {
    path.push(k);
    if (v !== null && typeof v === 'object') visit(v, path, inner, collect);
    else if (collect.some((c) => matches(c.path, path, true))) visit(v, path, inner, collect);
    else if ((typeof v !== 'string' || v.length <= LIMITS.scopeString) && fields < LIMITS.scopeFields) {
      scalars[k] = v;
      fields++;
    }
    path.pop();
  }
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/**
 * Whether a document may be parsed whole: at most `maxValues` values (JSON.parse builds every one of them, so a few
 * megabytes of `{}` or of numbers would be millions of objects) — otherwise it streams under the item caps. Refuses
 * nesting deeper than maxDepth before anything is built (strings are skipped, escapes honoured).
 */
export function parseableWhole(
  bytes: Uint8Array,
  maxDepth: number,
  maxValues: number = LIMITS.jsonTreeValues,
): boolean {
  // every value but the first follows a comma or opens a container: counting those bytes (native indexOf, strings
  // included, so the count errs high) bounds the values from above
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let values = 1;
  let openings = 0;
  // every value takes a byte at least: a document shorter than the cap cannot exceed it, only its nesting is checked
  for (const c of buf.length < maxValues ? [0x7b, 0x5b] : [0x2c, 0x7b, 0x5b]) {
    for (let i = buf.indexOf(c); i !== -1; i = buf.indexOf(c, i + 1)) {
      if (++values > maxValues) return false;
      // more openings than the depth cap: the byte scan below decides, no need to count further
      if (c !== 0x2c && ++openings > maxDepth && buf.length < maxValues) break;
    }
  }
  // a document with at most maxDepth opening brackets cannot nest deeper: the byte-by-byte scan is skipped
  if (openings > maxDepth) checkNesting(buf, maxDepth);
  return true;
}

function checkNesting(bytes: Uint8Array, maxDepth: number): void {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < bytes.length; i++) {
    const c = bytes[i];
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > maxDepth) throw reportUnsafe(`the JSON report nests deeper than ${maxDepth} levels`);
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
}
