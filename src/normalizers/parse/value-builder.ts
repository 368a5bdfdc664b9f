// Builds one JS value from stream-json tokens, with caps on size and depth so a hostile value cannot exhaust memory.
// Keys are stored with defineProperty semantics (a "__proto__" key is data, never the prototype).
import type { Token } from 'stream-json/core/parser.js';
import { AsmvsError } from '../../errors.ts';

type Container = Record<string, unknown> | unknown[];

export class ValueBuilder {
  readonly #maxChars: number;
  readonly #maxDepth: number;
  readonly #stack: Container[] = [];
  readonly #keys: (string | null)[] = [];
  #chars = 0;
  value: unknown = undefined;

  constructor(maxChars: number, maxDepth: number) {
    this.#maxChars = maxChars;
    this.#maxDepth = maxDepth;
  }

  /** Feeds one token; true when the value is complete. */
  push(token: Token): boolean {
    switch (token.name) {
      case 'startObject':
        return this.#open({});
      case 'startArray':
        return this.#open([]);
      case 'endObject':
      case 'endArray': {
        // a nested container was attached to its parent when it opened; only the outermost completes the value
        const done = this.#stack.pop();
        this.#keys.pop();
        if (this.#stack.length > 0) return false;
        this.value = done;
        return true;
      }
      case 'keyValue':
        this.#count(token.value.length);
        this.#keys[this.#keys.length - 1] = token.value;
        return false;
      case 'stringValue':
        this.#count(token.value.length);
        return this.#add(token.value);
      case 'numberValue':
        return this.#add(Number(token.value));
      case 'trueValue':
        return this.#add(true);
      case 'falseValue':
        return this.#add(false);
      case 'nullValue':
        return this.#add(null);
      default:
        return false;
    }
  }

  #open(container: Container): boolean {
    if (this.#stack.length >= this.#maxDepth) {
      throw new AsmvsError('REPORT_UNSAFE', `a value in the report nests deeper than ${this.#maxDepth} levels`);
    }
    if (this.#stack.length === 0) {
      this.#stack.push(container);
      this.#keys.push(null);
      return false;
    }
    this.#add(container);
    this.#stack.push(container);
    this.#keys.push(null);
    return false;
  }

  #add(v: unknown): boolean {
    const top = this.#stack.at(-1);
    if (top === undefined) {
      this.value = v;
      return true;
    }
    if (Array.isArray(top)) {
      top.push(v);
      return false;
    }
    const key = this.#keys.at(-1) ?? '';
    // "__proto__" must become data, not the prototype; defineProperty is slow, so only for that key
    if (key === '__proto__')
      Object.defineProperty(top, key, { value: v, enumerable: true, writable: true, configurable: true });
    else top[key] = v;
    return false;
  }

  #count(n: number): void {
    this.#chars += n;
    if (this.#chars > this.#maxChars) {
      throw new AsmvsError('OUTPUT_TOO_LARGE', `one item of the report is larger than ${this.#maxChars} characters`);
    }
  }
}
