// A streaming JSON walker over stream-json's tokenizer: it assembles only the values at the paths a format asks for
// (e.g. Results.*.Vulnerabilities.*), keeps the small scalar fields of the objects around them as context
// (e.g. a Result's Target), and skips everything else without building it. Memory is bounded by the item caps
// (parse/limits.ts), never by the report. The tokenizer packs each string, key and number before handing it over, so
// a run of more than itemChars characters without a quote (a string, key or number past the cap, wherever it is) is
// refused as it streams in, before the tokenizer has assembled it.
import { jsonParser } from 'stream-json/core/parser.js';
import type { Token } from 'stream-json/core/parser.js';
import { AsmvsError } from '../../errors.ts';
import { LIMITS, reportTooLarge } from './limits.ts';
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
  /** Largest collected value, in values of every kind. */
  maxValues?: number;
}

interface Frame {
  isObject: boolean;
  key: string | null;
  index: number;
  scalars: Record<string, unknown> | null;
  fields: number;
}

/** Where the chunks of the string, key or number being read go. */
type Sink = 'builder' | 'scope' | 'drop' | 'frame-key';

// The flush marker of stream-chain (a global symbol, so no import of that transitive dependency is needed).
const FLUSH = Symbol.for('object-stream.none');
const PIECE = 1024 * 1024;

export class JsonWalker {
  readonly #collect: readonly Collector[];
  readonly #maxDepth: number;
  readonly #maxValueChars: number;
  readonly #maxValues: number;
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
  // the scalar being read: its kind, where it goes, its parts so far
  #scalarSink: Sink = 'drop';
  #parts: string[] = [];
  #partsLength = 0;
  #overflow = false;
  #sinceQuote = 0;
  /** Keys of the top-level object(s): parsers check them to refuse a report of another format. */
  readonly rootKeys = new Set<string>();
  /** The (first) top-level value is an array. */
  rootIsArray = false;

  constructor(options: JsonWalkOptions) {
    this.#collect = options.collect;
    this.#maxDepth = options.maxDepth ?? LIMITS.jsonDepth;
    this.#maxValueChars = options.maxValueChars ?? LIMITS.itemChars;
    this.#maxValues = options.maxValues ?? LIMITS.itemValues;
    this.#jsonStreaming = options.jsonStreaming ?? false;
    // packed values, no chunk tokens: a third of the tokens (an escape sequence would be a chunk of its own)
    const tokenizer = jsonParser({ packValues: true, streamValues: false, jsonStreaming: this.#jsonStreaming });
    this.#tokenize = tokenizer as unknown as (input: string | symbol) => unknown;
  }

  write(chunk: Uint8Array): void {
    // pieces of at most 1 MiB: the quote-run check looks at a piece's first and last quote only
    for (let i = 0; i < chunk.length; i += PIECE) {
      const text = this.#decoder.decode(chunk.subarray(i, i + PIECE), { stream: true });
      if (text === '') continue;
      this.#checkQuoteRun(text);
      this.#feed(text);
    }
  }

  /** Every JSON string, key and long number lies between two quotes: a longer run without one is past the cap. */
  #checkQuoteRun(text: string): void {
    const first = text.indexOf('"');
    const run = first === -1 ? this.#sinceQuote + text.length : this.#sinceQuote + first;
    if (run > this.#maxValueChars) {
      throw reportTooLarge(
        `the report has a run of more than ${this.#maxValueChars} characters without a quote (a string, key or number past the cap)`,
      );
    }
    this.#sinceQuote = first === -1 ? run : text.length - text.lastIndexOf('"') - 1;
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
    for (const token of manyValues(out)) this.#token(token);
  }

  #token(token: Token): void {
    switch (token.name) {
      case 'keyValue':
      case 'stringValue':
      case 'numberValue': {
        // a packed scalar is handled as the chunked form would be: where it goes, its size, its end
        const sink: Sink =
          token.name === 'keyValue'
            ? this.#skipDepth > 0
              ? 'drop'
              : this.#builder !== null
                ? 'builder'
                : 'frame-key'
            : this.#skipDepth > 0
              ? 'drop'
              : this.#builder !== null
                ? 'builder'
                : this.#scalarStart();
        this.#beginScalar(sink);
        this.#chunk(token.value, token.name === 'numberValue');
        if (token.name === 'keyValue') this.#endKey(this.#takeScalar());
        else this.#endScalar({ name: token.name, value: this.#takeScalar() });
        return;
      }
      default:
        break;
    }
    if (this.#skipDepth > 0) {
      if (token.name === 'startObject' || token.name === 'startArray') this.#skipDepth++;
      else if (token.name === 'endObject' || token.name === 'endArray') {
        if (--this.#skipDepth === 0) this.#valueDone();
      }
      return;
    }
    if (this.#builder !== null) {
      switch (token.name) {
        case 'startObject':
        case 'endObject':
        case 'startArray':
        case 'endArray':
        case 'nullValue':
        case 'trueValue':
        case 'falseValue':
          if (this.#builder.push({ name: token.name })) this.#builderDone();
          return;
        default:
          return;
      }
    }
    switch (token.name) {
      case 'endObject':
      case 'endArray':
        this.#frames.pop();
        if (this.#frames.length > 0) this.#path.pop();
        this.#valueDone();
        return;
      case 'startObject':
      case 'startArray':
        this.#containerStart(token.name === 'startObject');
        return;
      case 'trueValue':
      case 'falseValue':
      case 'nullValue':
        this.#literal(token.name === 'nullValue' ? null : token.name === 'trueValue');
        return;
      default:
        return;
    }
  }

  #beginScalar(sink: Sink): void {
    this.#scalarSink = sink;
    this.#parts = [];
    this.#partsLength = 0;
    this.#overflow = false;
  }

  #chunk(text: string, isNumber: boolean): void {
    const sink = this.#scalarSink;
    if (sink === 'drop') return;
    if (isNumber && this.#partsLength + text.length > LIMITS.numberChars) {
      throw reportTooLarge(`a number in the report is longer than ${LIMITS.numberChars} characters`);
    }
    if (sink === 'builder') this.#builder?.budget.chars(text.length);
    else if (this.#overflow || this.#partsLength + text.length > LIMITS.scopeString) {
      // context only: a longer scalar is not kept (a key that long matches no collector path)
      this.#overflow = true;
      return;
    }
    this.#parts.push(text);
    this.#partsLength += text.length;
  }

  #takeScalar(): string {
    const text = this.#parts.length === 1 ? this.#parts[0]! : this.#parts.join('');
    this.#parts = [];
    this.#partsLength = 0;
    return text;
  }

  #endKey(key: string): void {
    const sink = this.#scalarSink;
    if (sink === 'builder') this.#builder?.push({ name: 'keyValue', value: key });
    else if (sink === 'frame-key') {
      const top = this.#frames.at(-1);
      const k = this.#overflow ? null : key;
      if (top) top.key = k ?? '';
      if (k !== null && this.#frames.length === 1 && this.rootKeys.size < 256) this.rootKeys.add(k);
    }
  }

  #endScalar(token: { name: 'stringValue' | 'numberValue'; value: string }): void {
    const sink = this.#scalarSink;
    if (sink === 'drop') {
      if (this.#skipDepth === 0) this.#valueDone();
      return;
    }
    if (sink === 'builder') {
      if (this.#builder?.push(token)) this.#builderDone();
      return;
    }
    // scope: a scalar field of an object on the way to collected values
    const parent = this.#frames.at(-1);
    if (!this.#overflow && parent?.scalars && parent.key !== null && parent.fields < LIMITS.scopeFields) {
      parent.scalars[parent.key] = token.name === 'numberValue' ? Number(token.value) : token.value;
      parent.fields++;
    }
    this.#valueDone();
  }

  #literal(value: boolean | null): void {
    const sink = this.#scalarStart();
    if (sink === 'builder') {
      const done = this.#builder?.push({ name: value === null ? 'nullValue' : value ? 'trueValue' : 'falseValue' });
      if (done) this.#builderDone();
      return;
    }
    const parent = this.#frames.at(-1);
    if (sink === 'scope' && parent?.scalars && parent.key !== null && parent.fields < LIMITS.scopeFields) {
      parent.scalars[parent.key] = value;
      parent.fields++;
    }
    this.#valueDone();
  }

  /** A scalar value starts outside any builder: collected (a builder for it), context, or nothing. */
  #scalarStart(): Sink {
    const { parent, collected } = this.#enter();
    if (collected) return 'builder';
    if (parent) this.#path.pop();
    return parent?.scalars && parent.key !== null ? 'scope' : 'drop';
  }

  /** Pushes the starting value's path segment; if a collector takes the value, starts its builder and pops it again. */
  #enter(): { parent: Frame | undefined; collected: boolean } {
    const parent = this.#frames.at(-1);
    if (parent) this.#path.push(parent.isObject ? (parent.key ?? '') : parent.index);
    const collector = this.#collect.find((c) => matches(c.path, this.#path, true));
    if (!collector) return { parent, collected: false };
    this.#startBuilder(collector);
    if (parent) this.#path.pop();
    return { parent, collected: true };
  }

  #containerStart(isObject: boolean): void {
    if (this.#frames.length === 0 && this.#rootValues === 0) this.rootIsArray = !isObject;
    const { parent, collected } = this.#enter();
    const path = this.#path;
    if (collected) {
      this.#builder?.push({ name: isObject ? 'startObject' : 'startArray' });
      return;
    }
    if (this.#collect.some((c) => matches(c.path, path, false))) {
      if (this.#frames.length >= this.#maxDepth) {
        throw new AsmvsError('REPORT_UNSAFE', `the JSON report nests deeper than ${this.#maxDepth} levels`);
      }
      // the path keeps this frame's segment while it is open; endObject/endArray pops it
      this.#frames.push({ isObject, key: null, index: 0, scalars: isObject ? {} : null, fields: 0 });
      return;
    }
    if (parent) path.pop();
    this.#skipDepth = 1;
  }

  #startBuilder(collector: Collector): void {
    this.#builderPath = this.#path.slice();
    this.#builder = new ValueBuilder(this.#maxDepth, this.#maxValueChars, this.#maxValues);
    this.#collector = collector;
  }

  #builderDone(): void {
    const value = this.#builder?.value;
    const collector = this.#collector;
    this.#builder = null;
    this.#collector = null;
    collector?.onValue(value, this.#builderPath, this.#scope());
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
export function matches(pattern: readonly string[], path: readonly PathSegment[], exact: boolean): boolean {
  if (exact ? path.length !== pattern.length : path.length >= pattern.length) return false;
  for (let i = 0; i < path.length; i++) {
    const p = pattern[i];
    if (p !== '*' && p !== String(path[i])) return false;
  }
  return true;
}

function manyValues(out: unknown): Token[] {
  if (out !== null && typeof out === 'object' && 'values' in out && Array.isArray(out.values))
    return out.values as Token[];
  return [];
}
