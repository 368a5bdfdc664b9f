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
  const exact = collectorAt(collect, path, true);
  if (exact) {
    exact.onValue(value, path.slice(), scope);
    return;
  }
  if (value === null || typeof value !== 'object') return;
  if (!collectorAt(collect, path, false)) return;
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
  const record = value as Record<string, unknown>;
  for (const k of Object.keys(record)) {
    const v = record[k];
    path.push(k);
    if (v !== null && typeof v === 'object') visit(v, path, inner, collect);
    else if (collectorAt(collect, path, true)) visit(v, path, inner, collect);
    else if ((typeof v !== 'string' || v.length <= LIMITS.scopeString) && fields < LIMITS.scopeFields) {
      scalars[k] = v;
      fields++;
    }
    path.pop();
  }
}

/** The first collector whose path is `path` (exact) or lies below it; a loop, not find(): it runs on every node. */
function collectorAt(collect: readonly Collector[], path: readonly PathSegment[], exact: boolean): Collector | null {
  for (let i = 0; i < collect.length; i++) if (matches(collect[i]!.path, path, exact)) return collect[i]!;
  return null;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/**
 * Whether a document may be parsed whole: at most `maxValues` values (JSON.parse builds every one of them, so a few
 * megabytes of `{}` or of numbers would be millions of objects) — otherwise it streams under the item caps. Refuses
 * nesting deeper than maxDepth before anything is built (strings are skipped, escapes honoured). Reads the decoded
 * text: the structural characters are ASCII, which UTF-8 never uses inside a multi-byte sequence, and a string's
 * indexOf is a builtin (no call into C++ per bracket, as a Buffer's is).
 */
export function parseableWhole(text: string, maxDepth: number, maxValues: number = LIMITS.jsonTreeValues): boolean {
  // every value but the first follows a comma or opens a container: counting those characters (strings included,
  // so the count errs high) bounds the values from above
  let values = 1;
  let openings = 0;
  // every value takes a character at least: a shorter document cannot exceed the cap, only its nesting is checked
  const short = text.length < maxValues;
  for (const c of short ? OPENINGS : SEPARATORS) {
    for (let i = text.indexOf(c); i !== -1; i = text.indexOf(c, i + 1)) {
      if (++values > maxValues) return false;
      // more openings than the depth cap: the scan below decides, no need to count further
      if (c !== ',' && ++openings > maxDepth && short) break;
    }
  }
  // a document with at most maxDepth opening brackets cannot nest deeper: the character-by-character scan is skipped
  if (openings > maxDepth) checkNesting(text, maxDepth);
  return true;
}

const OPENINGS = ['{', '['] as const;
const SEPARATORS = [',', '{', '['] as const;

function checkNesting(text: string, maxDepth: number): void {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > maxDepth) throw reportUnsafe(`the JSON report nests deeper than ${maxDepth} levels`);
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
}
