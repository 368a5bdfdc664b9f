// The safety layer every report parser shares: one table of caps and the errors that refuse a report past them.
// A report is untrusted input of any size and shape; each cap bounds the memory one report can take, whatever its
// bytes say (a 16 MB document of `{}` is four million objects; 100 M numbers in one array is 2.5 GB of heap).
import { AsmvsError } from '../../errors.ts';

const MiB = 1024 * 1024;

export const LIMITS = {
  /** Largest report accepted, in bytes. */
  reportBytes: 256 * MiB,
  /** Most distinct findings in one report (what one stage attempt holds and emits). */
  findings: 100_000,
  /** JSON reports up to this many bytes, and up to jsonTreeValues values, are parsed whole (JSON.parse). */
  jsonTreeBytes: 8 * MiB,
  jsonTreeValues: 1_000_000,
  jsonDepth: 256,
  xmlDepth: 64,
  /** One collected item (a vulnerability, a match, an nmap <host>): characters of its strings, keys, attributes. */
  itemChars: 16 * MiB,
  /** One collected JSON item: values of every kind (strings, numbers, booleans, null, objects, arrays). */
  itemValues: 1_000_000,
  /** One collected XML element: elements inside it (an nmap host with all 65,535 ports open has ~200,000). */
  itemElements: 250_000,
  /** One number literal, in characters. */
  numberChars: 1024,
  /** Scalar fields kept as context per enclosing object (more are ignored: context, not content). */
  scopeFields: 256,
  /** Longest scalar kept as context. */
  scopeString: 4096,
  /** XML before the root element (declaration, comments, a bare DOCTYPE). */
  xmlProlog: 64 * 1024,
} as const;

export function reportTooLarge(message: string, details: Record<string, unknown> = {}): AsmvsError {
  return new AsmvsError('REPORT_TOO_LARGE', message, { details });
}

export function reportUnsafe(message: string): AsmvsError {
  return new AsmvsError('REPORT_UNSAFE', message);
}

/** Counts what one collected item holds and refuses it past the item caps. */
export class ItemBudget {
  #chars = 0;
  #values = 0;
  readonly #maxChars: number;
  readonly #maxValues: number;
  readonly #unit: string;

  constructor(maxChars: number, maxValues: number, unit: 'values' | 'elements') {
    this.#maxChars = maxChars;
    this.#maxValues = maxValues;
    this.#unit = unit;
  }

  chars(n: number): void {
    this.#chars += n;
    if (this.#chars > this.#maxChars) {
      throw reportTooLarge(`one item of the report is larger than ${this.#maxChars} characters`, {
        maxChars: this.#maxChars,
      });
    }
  }

  value(): void {
    if (++this.#values > this.#maxValues) {
      throw reportTooLarge(`one item of the report holds more than ${this.#maxValues} ${this.#unit}`, {
        maxValues: this.#maxValues,
      });
    }
  }

  get values(): number {
    return this.#values;
  }

  get charsUsed(): number {
    return this.#chars;
  }
}
