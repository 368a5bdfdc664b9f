// Shared shape of the JSON parsers. A report up to `treeLimit` bytes (8 MiB by default) is parsed whole with JSON.parse and walked in
// memory (fast); a larger one streams through JsonWalker from its first byte on (bounded memory). Both give the
// collectors the same values, paths and scopes. At the end the document must have the keys that identify its
// format, so a report of another format is refused instead of yielding no findings.
import type { FormatParser } from '../draft.ts';
import { JsonWalker } from '../parse/json-walk.ts';
import type { JsonWalkOptions } from '../parse/json-walk.ts';
import { parseableWhole, walkTree } from '../parse/json-tree-walk.ts';
import { LIMITS } from '../parse/limits.ts';
import { wrongFormat } from './wrong-format.ts';

const MAX_DEPTH = LIMITS.jsonDepth;
// decode() without { stream: true } keeps no state between calls, so one decoder serves every report
const UTF8 = new TextDecoder('utf-8');

export interface JsonFormatSpec extends JsonWalkOptions {
  format: string;
  /** Bytes up to which the report is parsed whole (ParseContext.jsonTreeLimit). */
  treeLimit: number;
  /** Called once at the end with the top-level keys; throw (wrongFormat) if the document was not this format. */
  verify: (rootKeys: ReadonlySet<string>, rootIsArray: boolean) => void;
  onEnd?: () => void;
}

export function jsonFormatParser(spec: JsonFormatSpec): FormatParser {
  let pending: Uint8Array[] | null = [];
  let pendingBytes = 0;
  let walker: JsonWalker | null = null;
  const toStreaming = (): JsonWalker => {
    const w = new JsonWalker({ ...spec, maxDepth: MAX_DEPTH });
    for (const c of pending ?? []) w.write(c);
    pending = null;
    walker = w;
    return w;
  };
  return {
    write: (chunk) => {
      if (pending === null) {
        walker?.write(chunk);
        return;
      }
      pending.push(chunk);
      pendingBytes += chunk.length;
      if (pendingBytes > spec.treeLimit) toStreaming();
    },
    end: () => {
      let rootKeys: ReadonlySet<string>;
      let rootIsArray: boolean;
      if (pending !== null) {
        const bytes = pending.length === 1 ? pending[0]! : Buffer.concat(pending);
        const values = parseWhole(bytes, spec.jsonStreaming ?? false);
        if (values === null) {
          // too many values to build whole, or JSON.parse refused it: the streaming walker reads it under the item
          // caps, names a syntax error precisely, or (JSON values that span lines in JSON Lines) reads it after all
          const w = toStreaming();
          w.end();
          ({ rootKeys, rootIsArray } = w);
        } else {
          rootKeys = walkTree(values, spec.collect).rootKeys;
          rootIsArray = Array.isArray(values[0]);
        }
      } else {
        const w = walker ?? toStreaming();
        w.end();
        ({ rootKeys, rootIsArray } = w);
      }
      spec.verify(rootKeys, rootIsArray);
      spec.onEnd?.();
    },
  };
}

/** The parsed document(s), or null when it must stream: too many values to build at once, or JSON.parse refused it. */
function parseWhole(bytes: Uint8Array, jsonLines: boolean): unknown[] | null {
  const text = UTF8.decode(bytes);
  if (!parseableWhole(text, MAX_DEPTH)) return null;
  try {
    if (!jsonLines) return [JSON.parse(text) as unknown];
    const out: unknown[] = [];
    for (const line of text.split('\n')) if (line.trim() !== '') out.push(JSON.parse(line) as unknown);
    return out;
  } catch {
    return null;
  }
}

export function requireRootKeys(format: string, rootKeys: ReadonlySet<string>, anyOf: readonly string[]): void {
  if (!anyOf.some((k) => rootKeys.has(k))) {
    throw wrongFormat(format, `none of the keys ${anyOf.join(', ')} at the top level`);
  }
}
