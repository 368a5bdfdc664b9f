// A streaming JSON walker over stream-json's tokenizer: it assembles only the values at the paths a format asks for
// (e.g. Results.*.Vulnerabilities.*), keeps the small scalar fields of the objects around them as context
// (e.g. a Result's Target), and skips everything else without building it. Memory is bounded by the largest single
// collected value (capped), never by the report.
import { jsonParser } from 'stream-json/core/parser.js';
import type { Token } from 'stream-json/core/parser.js';
import { AsmvsError } from '../../errors.ts';
import { ValueBuilder } from './value-builder.ts';

export type PathSegment = string | number;
/** Scalar fields of each object enclosing a collected value, outermost first. */
export type Scope = readonly Readonly<Record<string, unknown>>[];

export interface Collector {
  /** Keys and '*' (any key or index); [] is each top-level value (JSON Lines). */
  path: readonly string[];
  onValue: (value: unknown, path: readonly PathSegment[], scope: Scope) => void;
}

export interface JsonWalkOptions {
  collect: readonly Collector[];
  /** Successive top-level values (JSON Lines) instead of one document. */
  jsonStreaming?: boolean;
  maxDepth?: number;
  /** Largest collected value, in characters of its strings and keys. */
  maxValueChars?: number;
}

interface Frame {
  isObject: boolean;
  key: string | null;
  index: number;
  scalars: Record<string, unknown> | null;
}

// The flush marker of stream-chain (a global symbol, so no import of that transitive dependency is needed).
const FLUSH = Symbol.for('object-stream.none');
const MAX_SCOPE_STRING = 4096;

export class JsonWalker {
  readonly #collect: readonly Collector[];
  readonly #maxDepth: number;
  readonly #maxValueChars: number;
  readonly #tokenize: (input: string | symbol) => unknown;
  readonly #decoder = new TextDecoder('utf-8');
  readonly #frames: Frame[] = [];
  readonly #path: PathSegment[] = [];
  #skipDepth = 0;
  #builder: ValueBuilder | null = null;
  #builderPath: PathSegment[] = [];
  #collector: Collector | null = null;
  #rootValues = 0;
  #jsonStreaming: boolean;
  /** Keys of the top-level object(s): parsers check them to refuse a report of another format. */
  readonly rootKeys = new Set<string>();

  constructor(options: JsonWalkOptions) {
    this.#collect = options.collect;
    this.#maxDepth = options.maxDepth ?? 256;
    this.#maxValueChars = options.maxValueChars ?? 16 * 1024 * 1024;
    this.#jsonStreaming = options.jsonStreaming ?? false;
    const tokenizer = jsonParser({ packValues: true, streamValues: false, jsonStreaming: this.#jsonStreaming });
    this.#tokenize = tokenizer as unknown as (input: string | symbol) => unknown;
  }

  write(chunk: Uint8Array): void {
    const text = this.#decoder.decode(chunk, { stream: true });
    if (text !== '') this.#feed(text);
  }

  end(): void {
    const rest = this.#decoder.decode();
    if (rest !== '') this.#feed(rest);
    this.#feed(FLUSH);
    if (this.#frames.length > 0 || this.#skipDepth > 0 || this.#builder !== null) {
      throw new AsmvsError('REPORT_UNPARSEABLE', 'the JSON report is truncated: it ends inside a value');
    }
    if (this.#rootValues === 0 && !this.#jsonStreaming) {
      throw new AsmvsError('REPORT_UNPARSEABLE', 'the JSON report is empty');
    }
  }

  #feed(input: string | symbol): void {
    let out: unknown;
    try {
      out = this.#tokenize(input);
    } catch (cause) {
      throw new AsmvsError('REPORT_UNPARSEABLE', `the JSON report is malformed: ${(cause as Error).message}`, {
        cause,
      });
    }
    const tokens = manyValues(out);
    for (const token of tokens) this.#token(token);
  }

  #token(token: Token): void {
    if (this.#skipDepth > 0) {
      if (token.name === 'startObject' || token.name === 'startArray') this.#skipDepth++;
      else if (token.name === 'endObject' || token.name === 'endArray') {
        if (--this.#skipDepth === 0) this.#valueDone();
      }
      return;
    }
    if (this.#builder !== null) {
      if (this.#builder.push(token)) {
        const value = this.#builder.value;
        const collector = this.#collector;
        this.#builder = null;
        this.#collector = null;
        collector?.onValue(value, this.#builderPath, this.#scope());
        this.#valueDone();
      }
      return;
    }
    switch (token.name) {
      case 'keyValue': {
        const top = this.#frames.at(-1);
        if (top) top.key = token.value;
        if (this.#frames.length === 1 && this.rootKeys.size < 256) this.rootKeys.add(token.value);
        return;
      }
      case 'endObject':
      case 'endArray':
        this.#frames.pop();
        if (this.#frames.length > 0) this.#path.pop();
        this.#valueDone();
        return;
      case 'startObject':
      case 'startArray':
      case 'stringValue':
      case 'numberValue':
      case 'trueValue':
      case 'falseValue':
      case 'nullValue':
        this.#valueStart(token);
        return;
      default:
        return;
    }
  }

  #valueStart(token: Token): void {
    const parent = this.#frames.at(-1);
    const path = this.#path;
    if (parent) path.push(parent.isObject ? (parent.key ?? '') : parent.index);
    const isContainer = token.name === 'startObject' || token.name === 'startArray';
    const collector = this.#collect.find((c) => matches(c.path, path, true));
    if (collector) {
      this.#builderPath = path.slice();
      if (parent) path.pop();
      const builder = new ValueBuilder(this.#maxValueChars, this.#maxDepth);
      if (builder.push(token)) {
        collector.onValue(builder.value, this.#builderPath, this.#scope());
        this.#valueDone();
      } else {
        this.#builder = builder;
        this.#collector = collector;
      }
      return;
    }
    if (isContainer && this.#collect.some((c) => matches(c.path, path, false))) {
      if (this.#frames.length >= this.#maxDepth) {
        throw new AsmvsError('REPORT_UNSAFE', `the JSON report nests deeper than ${this.#maxDepth} levels`);
      }
      // the path keeps this frame's segment while it is open; endObject/endArray pops it
      this.#frames.push({
        isObject: token.name === 'startObject',
        key: null,
        index: 0,
        scalars: token.name === 'startObject' ? {} : null,
      });
      return;
    }
    if (parent) path.pop();
    if (isContainer) {
      this.#skipDepth = 1;
      return;
    }
    if (parent?.scalars && parent.key !== null) {
      const value = scalarOf(token);
      if (typeof value !== 'string' || value.length <= MAX_SCOPE_STRING) parent.scalars[parent.key] = value;
    }
    this.#valueDone();
  }

  #valueDone(): void {
    const parent = this.#frames.at(-1);
    if (!parent) {
      this.#rootValues++;
      return;
    }
    if (parent.isObject) parent.key = null;
    else parent.index++;
  }

  #scope(): Scope {
    const scope: Readonly<Record<string, unknown>>[] = [];
    for (const f of this.#frames) if (f.scalars) scope.push(f.scalars);
    return scope;
  }
}

/** exact: the path is the pattern; otherwise the path is a proper prefix of it (a value to descend into). */
function matches(pattern: readonly string[], path: readonly PathSegment[], exact: boolean): boolean {
  if (exact ? path.length !== pattern.length : path.length >= pattern.length) return false;
  for (let i = 0; i < path.length; i++) {
    const p = pattern[i];
    if (p !== '*' && p !== String(path[i])) return false;
  }
  return true;
}

function scalarOf(token: Token): unknown {
  switch (token.name) {
    case 'stringValue':
      return token.value;
    case 'numberValue':
      return Number(token.value);
    case 'trueValue':
      return true;
    case 'falseValue':
      return false;
    default:
      return null;
  }
}

function manyValues(out: unknown): Token[] {
  if (out !== null && typeof out === 'object' && 'values' in out && Array.isArray(out.values))
    return out.values as Token[];
  return [];
}
