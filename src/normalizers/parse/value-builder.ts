// Builds one JS value from stream-json tokens, within an item budget: every value of every kind counts (strings,
// numbers, booleans, null, objects and arrays, empty or not), and the walker counts the characters of strings and
// keys as their chunks arrive. Keys are stored with defineProperty semantics ("__proto__" is data, never the
// prototype).
import { AsmvsError } from '../../errors.ts';
import { ItemBudget, LIMITS } from './limits.ts';

type Container = Record<string, unknown> | unknown[];

/** The packed tokens the walker hands over (it assembles strings, keys and numbers from their chunks). */
export type PackedToken =
  | { name: 'startObject' | 'endObject' | 'startArray' | 'endArray' | 'nullValue' | 'trueValue' | 'falseValue' }
  | { name: 'keyValue' | 'stringValue' | 'numberValue'; value: string };

export class ValueBuilder {
  readonly budget: ItemBudget;
  readonly #maxDepth: number;
  readonly #stack: Container[] = [];
  readonly #keys: (string | null)[] = [];
  value: unknown = undefined;

  constructor(maxDepth: number, maxChars: number = LIMITS.itemChars, maxValues: number = LIMITS.itemValues) {
    this.#maxDepth = maxDepth;
    this.budget = new ItemBudget(maxChars, maxValues, 'values');
  }

  /** Feeds one token; true when the value is complete. */
  push(token: PackedToken): boolean {
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
        this.#keys[this.#keys.length - 1] = token.value;
        return false;
      case 'stringValue':
        return this.#add(token.value);
      case 'numberValue':
        return this.#add(Number(token.value));
      case 'trueValue':
        return this.#add(true);
      case 'falseValue':
        return this.#add(false);
      case 'nullValue':
        return this.#add(null);
    }
  }

  #open(container: Container): boolean {
    if (this.#stack.length >= this.#maxDepth) {
      throw new AsmvsError('REPORT_UNSAFE', `a value in the report nests deeper than ${this.#maxDepth} levels`);
    }
    if (this.#stack.length > 0) this.#add(container);
    else this.budget.value();
    this.#stack.push(container);
    this.#keys.push(null);
    return false;
  }

  #add(v: unknown): boolean {
    this.budget.value();
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
}
