// Shared shape of the JSON parsers: a JsonWalker plus a check, at the end, that the document had the keys that
// identify its format (so a report of another format is refused instead of yielding no findings).
import type { FormatParser } from '../draft.ts';
import { JsonWalker } from '../parse/json-walk.ts';
import type { JsonWalkOptions } from '../parse/json-walk.ts';
import { wrongFormat } from './wrong-format.ts';

export interface JsonFormatSpec extends JsonWalkOptions {
  format: string;
  /** Called once at the end; throw (wrongFormat) if the document was not this format. */
  verify: (walker: JsonWalker) => void;
  onEnd?: () => void;
}

export function jsonFormatParser(spec: JsonFormatSpec): FormatParser {
  const walker = new JsonWalker(spec);
  return {
    write: (chunk) => walker.write(chunk),
    end: () => {
      walker.end();
      spec.verify(walker);
      spec.onEnd?.();
    },
  };
}

export function requireRootKeys(format: string, walker: JsonWalker, anyOf: readonly string[]): void {
  if (!anyOf.some((k) => walker.rootKeys.has(k)))
    throw wrongFormat(format, `none of the keys ${anyOf.join(', ')} at the top level`);
}
