// A streaming XML walker over saxes that builds small element trees only for the elements a format collects
// (an nmap <host>, a ZAP <alertitem>, a GVM <result>) and hands each one over as soon as it closes.
// Safety: a DOCTYPE with an internal subset or an external id, and any ENTITY/ELEMENT/ATTLIST declaration, is refused
// before saxes buffers it (XML bombs, XXE); saxes itself never expands anything but the five predefined entities.
// nmap writes a bare `<!DOCTYPE nmaprun>`, which is allowed. Depth, the size of each collected element (characters
// and elements) and the prolog are capped (parse/limits.ts). Every XML report goes through here, nmap's as the
// scanner streams it included.
import { SaxesParser } from 'saxes';
import type { SaxesTagPlain } from 'saxes';
import { AsmvsError } from '../../errors.ts';
import { ItemBudget, LIMITS, reportUnsafe } from './limits.ts';

export interface XmlElement {
  name: string;
  attrs: Readonly<Record<string, string>>;
  children: XmlElement[];
  text: string;
}

export interface XmlAncestor {
  name: string;
  attrs: Readonly<Record<string, string>>;
}

export interface XmlWalkOptions {
  /** Whether to build the element that just opened (and everything inside it). */
  collect: (name: string, ancestors: readonly XmlAncestor[]) => boolean;
  onElement: (element: XmlElement, ancestors: readonly XmlAncestor[]) => void;
  maxDepth?: number;
  /** Largest collected element, in characters of its text and attribute values. */
  maxElementChars?: number;
  /** Largest collected element, in elements. */
  maxElements?: number;
}

const MAX_PROLOG = LIMITS.xmlProlog;
const NO_ATTRS: Readonly<Record<string, string>> = Object.freeze({});
const NO_CHILDREN: XmlElement[] = Object.freeze([]) as unknown as XmlElement[];

function hasAny(o: Readonly<Record<string, string>>): boolean {
  for (const _ in o) return true;
  return false;
}
const UNSAFE_DECLARATION = /<!(ENTITY|ELEMENT|ATTLIST|NOTATION)\b/i;
const UNSAFE_DOCTYPE = /<!DOCTYPE[^>]*?(\[|\bSYSTEM\b|\bPUBLIC\b)/i;
const ROOT_START = /<[A-Za-z_:]/;

export class XmlWalker {
  readonly #options: XmlWalkOptions;
  readonly #maxDepth: number;
  readonly #maxChars: number;
  readonly #maxElements: number;
  #budget: ItemBudget | null = null;
  readonly #parser = new SaxesParser({ xmlns: false, position: false });
  readonly #decoder = new TextDecoder('utf-8');
  readonly #ancestors: XmlAncestor[] = [];
  readonly #building: XmlElement[] = [];
  #collectDepth = -1;
  #sawRoot = false;
  #prolog = '';
  /** The document element's name: parsers check it to refuse a report of another format. */
  rootName: string | null = null;
  rootAttrs: Readonly<Record<string, string>> | null = null;

  constructor(options: XmlWalkOptions) {
    this.#options = options;
    this.#maxDepth = options.maxDepth ?? LIMITS.xmlDepth;
    this.#maxChars = options.maxElementChars ?? LIMITS.itemChars;
    this.#maxElements = options.maxElements ?? LIMITS.itemElements;
    const p = this.#parser;
    p.on('error', (cause) => {
      throw new AsmvsError('REPORT_UNPARSEABLE', `the XML report is malformed: ${cause.message}`, { cause });
    });
    p.on('doctype', (doctype) => {
      if (/[[]|\bSYSTEM\b|\bPUBLIC\b/i.test(doctype))
        throw unsafe('a DOCTYPE with an internal subset or an external id');
    });
    p.on('opentag', (tag) => this.#open(tag));
    p.on('closetag', () => this.#close());
    p.on('text', (text) => this.#text(text));
    p.on('cdata', (text) => this.#text(text));
  }

  write(chunk: Uint8Array): void {
    const text = this.#decoder.decode(chunk, { stream: true });
    if (text === '') return;
    if (!this.#sawRoot) this.#checkProlog(text);
    this.#parser.write(text);
  }

  end(): void {
    const rest = this.#decoder.decode();
    if (rest !== '') this.#parser.write(rest);
    this.#parser.close();
    if (this.rootName === null) throw new AsmvsError('REPORT_UNPARSEABLE', 'the XML report has no root element');
  }

  #checkProlog(text: string): void {
    const m = ROOT_START.exec(text);
    this.#prolog += m ? text.slice(0, m.index) : text;
    if (UNSAFE_DECLARATION.test(this.#prolog)) throw unsafe('an entity, element or attribute-list declaration');
    if (UNSAFE_DOCTYPE.test(this.#prolog)) throw unsafe('a DOCTYPE with an internal subset or an external id');
    if (m) {
      this.#prolog = '';
      this.#sawRoot = true;
    } else if (this.#prolog.length > MAX_PROLOG) {
      throw unsafe(`a prolog longer than ${MAX_PROLOG} characters`);
    }
  }

  #open(tag: SaxesTagPlain): void {
    this.#sawRoot = true;
    if (this.rootName === null) {
      this.rootName = tag.name;
      this.rootAttrs = tag.attributes;
    }
    if (this.#ancestors.length >= this.#maxDepth) {
      throw reportUnsafe(`the XML report nests deeper than ${this.#maxDepth} levels`);
    }
    const attrs = tag.attributes;
    if (this.#collectDepth < 0 && this.#options.collect(tag.name, this.#ancestors)) {
      this.#collectDepth = this.#ancestors.length;
      this.#budget = new ItemBudget(this.#maxChars, this.#maxElements, 'elements');
    }
    if (this.#collectDepth >= 0) {
      this.#budget?.value();
      for (const v of Object.values(attrs)) this.#budget?.chars(v.length);
      // an empty attribute set and an empty child list are shared, so that an element costs ~60 bytes, not ~280
      const el: XmlElement = {
        name: tag.name,
        attrs: hasAny(attrs) ? attrs : NO_ATTRS,
        children: NO_CHILDREN,
        text: '',
      };
      const parent = this.#building.at(-1);
      if (parent) {
        if (parent.children === NO_CHILDREN) parent.children = [];
        parent.children.push(el);
      }
      this.#building.push(el);
    }
    this.#ancestors.push({ name: tag.name, attrs });
  }

  #close(): void {
    this.#ancestors.pop();
    if (this.#collectDepth < 0) return;
    const el = this.#building.pop();
    if (this.#ancestors.length === this.#collectDepth && el) {
      this.#collectDepth = -1;
      this.#budget = null;
      this.#options.onElement(el, this.#ancestors);
    }
  }

  #text(text: string): void {
    const el = this.#building.at(-1);
    if (!el) return;
    this.#budget?.chars(text.length);
    el.text += text;
  }
}

function unsafe(what: string): AsmvsError {
  return reportUnsafe(`the XML report contains ${what}; DTDs and entities are refused`);
}

/** Helpers for reading collected elements. */
export function child(el: XmlElement, name: string): XmlElement | undefined {
  return el.children.find((c) => c.name === name);
}

export function childrenNamed(el: XmlElement, name: string): XmlElement[] {
  return el.children.filter((c) => c.name === name);
}

export function childText(el: XmlElement, name: string): string | null {
  const c = child(el, name);
  if (!c) return null;
  const t = c.text.trim();
  return t === '' ? null : t;
}
