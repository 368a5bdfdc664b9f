// An OCSF event validator over the schema's own source files (test/fixtures/ocsf-<version>/, from the ocsf-schema
// repository at that tag): a class is compiled the way the OCSF server compiles it — `extends` chains of classes and
// objects, `$include`d profiles, the dictionary's attribute definitions under each class's or object's overrides,
// the dictionary's types with their regex, length and range — and an event is checked against it: required
// attributes present and not null, no attribute the class does not define, no null anywhere, values of their type,
// enum values the schema lists, `at_least_one` / `just_one` constraints, profile attributes only with the profile
// declared in metadata.profiles, class/category/type uids consistent. Deprecated attributes and an `Other` (99)
// without its sibling caption are warnings.
import { existsSync, readFileSync } from 'node:fs';

interface AttrDef {
  type?: string;
  is_array?: boolean;
  requirement?: string;
  enum?: Record<string, { caption: string }>;
  sibling?: string;
  profile?: string | null;
  '@deprecated'?: unknown;
}

interface SourceFile {
  name: string;
  uid?: number;
  extends?: string;
  attributes: Record<string, AttrDef> & { $include?: string[] };
  constraints?: { at_least_one?: string[]; just_one?: string[] };
  category?: string;
}

interface TypeDef {
  type?: string;
  regex?: string;
  max_len?: number;
  range?: [number, number];
  values?: unknown[];
}

export interface Compiled {
  readonly name: string;
  readonly attributes: ReadonlyMap<string, AttrDef>;
  readonly constraints: NonNullable<SourceFile['constraints']>;
}

export interface Verdict {
  readonly errors: string[];
  readonly warnings: string[];
}

interface Dictionary {
  attributes: Record<string, AttrDef>;
  types: { attributes: Record<string, TypeDef> };
}

const GENERATED_ENUMS = new Set(['class_uid', 'category_uid', 'type_uid']);
const PRIMITIVES = new Set(['string_t', 'integer_t', 'long_t', 'float_t', 'boolean_t', 'json_t']);

export class OcsfSchema {
  readonly version: string;
  readonly #dir: URL;
  readonly #dictionary: Dictionary;
  readonly #categories: Record<string, { uid: number } | undefined>;
  readonly #objects = new Map<string, Compiled>();
  /** Every schema file read, relative to the schema's directory (what a vendored subset must hold). */
  readonly filesRead = new Set<string>();

  constructor(dir: URL) {
    this.#dir = dir;
    this.version = (this.#read('version.json') as { version: string }).version;
    this.#dictionary = this.#read('dictionary.json') as Dictionary;
    this.#categories = (this.#read('categories.json') as { attributes: Record<string, { uid: number }> }).attributes;
  }

  #read(path: string): unknown {
    const url = new URL(path, this.#dir);
    if (!existsSync(url)) throw new Error(`${path} is not in the vendored OCSF schema at ${this.#dir.pathname}`);
    this.filesRead.add(path);
    return JSON.parse(readFileSync(url, 'utf8'));
  }

  /** A source file's attributes with its `$include`s merged under its own, and each include's profile marked. */
  #attributes(file: SourceFile): Map<string, AttrDef> {
    const out = new Map<string, AttrDef>();
    for (const include of file.attributes.$include ?? []) {
      const included = this.#read(include) as SourceFile;
      const profile = include.startsWith('profiles/') ? included.name : undefined;
      for (const [name, def] of this.#attributes(included)) out.set(name, { ...def, ...(profile ? { profile } : {}) });
    }
    for (const [name, def] of Object.entries(file.attributes)) {
      if (name === '$include') continue;
      out.set(name, { ...out.get(name), ...(def as AttrDef) });
    }
    return out;
  }

  #compile(file: SourceFile, parent: Compiled | undefined): Compiled {
    const attributes = new Map<string, AttrDef>(parent?.attributes);
    for (const [name, def] of this.#attributes(file)) {
      const dictionary = this.#dictionary.attributes[name];
      if (!dictionary) throw new Error(`${file.name}.${name} is not in the dictionary`);
      const merged: AttrDef = { ...dictionary, ...attributes.get(name), ...def };
      const enums = { ...dictionary.enum, ...attributes.get(name)?.enum, ...def.enum };
      if (Object.keys(enums).length > 0) merged.enum = enums;
      attributes.set(name, merged);
    }
    return { name: file.name, attributes, constraints: { ...parent?.constraints, ...file.constraints } };
  }

  object(name: string): Compiled {
    let compiled = this.#objects.get(name);
    if (!compiled) {
      const file = this.#read(`objects/${name}.json`) as SourceFile;
      compiled = this.#compile(file, file.extends ? this.object(file.extends) : undefined);
      this.#objects.set(name, compiled);
    }
    return compiled;
  }

  /** A class from its file under events/ (e.g. findings/vulnerability_finding), with its uid. */
  eventClass(path: string): Compiled & { uid: number; categoryUid: number } {
    const file = this.#read(`events/${path}.json`) as SourceFile;
    const folder = path.slice(0, path.lastIndexOf('/') + 1);
    const parent = file.extends
      ? this.eventClass(
          existsSync(new URL(`events/${folder}${file.extends}.json`, this.#dir))
            ? `${folder}${file.extends}`
            : file.extends,
        )
      : undefined;
    const compiled = this.#compile(file, parent);
    const categoryUid = file.category ? (this.#categories[file.category]?.uid ?? 0) : (parent?.categoryUid ?? 0);
    return { ...compiled, uid: categoryUid * 1000 + (file.uid ?? 0), categoryUid };
  }

  validate(event: Record<string, unknown>, classPath: string): Verdict {
    const cls = this.eventClass(classPath);
    const errors: string[] = [];
    const warnings: string[] = [];
    const metadata = event['metadata'] as { profiles?: string[]; version?: string } | undefined;
    const profiles = new Set(metadata?.profiles ?? []);
    if (event['class_uid'] !== cls.uid) errors.push(`class_uid ${String(event['class_uid'])} is not ${cls.uid}`);
    if (event['category_uid'] !== cls.categoryUid)
      errors.push(`category_uid ${String(event['category_uid'])} is not ${cls.categoryUid}`);
    if (event['type_uid'] !== cls.uid * 100 + Number(event['activity_id']))
      errors.push(`type_uid ${String(event['type_uid'])} is not class_uid * 100 + activity_id`);
    if (metadata?.version !== this.version)
      errors.push(`metadata.version ${String(metadata?.version)} is not the schema's ${this.version}`);
    this.#check(event, cls, '', profiles, errors, warnings);
    return { errors, warnings };
  }

  #check(
    value: Record<string, unknown>,
    compiled: Compiled,
    at: string,
    profiles: ReadonlySet<string>,
    errors: string[],
    warnings: string[],
  ): void {
    const present = (name: string) => value[name] !== undefined && value[name] !== null;
    for (const [name, def] of compiled.attributes) {
      const applies = !def.profile || profiles.has(def.profile);
      if (def.requirement === 'required' && applies && !present(name)) errors.push(`${at}${name}: required`);
    }
    for (const [kind, names] of Object.entries(compiled.constraints)) {
      const count = (names ?? []).filter(present).length;
      if (kind === 'at_least_one' && count === 0)
        errors.push(`${at || '(event) '}needs at least one of ${names!.join(', ')}`);
      if (kind === 'just_one' && count !== 1)
        errors.push(`${at || '(event) '}needs just one of ${names!.join(', ')}, has ${count}`);
    }
    for (const [name, v] of Object.entries(value)) {
      const path = `${at}${name}`;
      const def = compiled.attributes.get(name);
      if (!def) {
        errors.push(`${path}: not an attribute of ${compiled.name}`);
        continue;
      }
      if (v === null || v === undefined) {
        errors.push(`${path}: null`);
        continue;
      }
      if (def.profile && !profiles.has(def.profile))
        errors.push(`${path}: belongs to the ${def.profile} profile, which metadata.profiles does not declare`);
      if (def['@deprecated']) warnings.push(`${path}: deprecated`);
      if (def.is_array) {
        if (!Array.isArray(v)) errors.push(`${path}: not an array`);
        else v.forEach((item, i) => this.#value(item, def, `${path}[${i}]`, profiles, errors, warnings));
      } else this.#value(v, def, path, profiles, errors, warnings);
      if (def.enum && typeof v === 'number') {
        const sibling = def.sibling ? value[def.sibling] : undefined;
        if (v === 99 && sibling === undefined) warnings.push(`${path}: Other (99) without ${def.sibling}`);
        const caption = def.enum[String(v)]?.caption;
        if (v !== 99 && sibling !== undefined && caption !== undefined && sibling !== caption)
          warnings.push(
            `${path}: ${def.sibling} ${JSON.stringify(sibling)} is not the caption ${JSON.stringify(caption)}`,
          );
      }
    }
  }

  #value(
    v: unknown,
    def: AttrDef,
    path: string,
    profiles: ReadonlySet<string>,
    errors: string[],
    warnings: string[],
  ): void {
    if (v === null) return void errors.push(`${path}: null`);
    const type = def.type ?? 'string_t';
    if (!type.endsWith('_t')) {
      if (typeof v !== 'object' || Array.isArray(v)) return void errors.push(`${path}: not an object (${type})`);
      if (type === 'object') return; // the generic object: any attributes
      return this.#check(v as Record<string, unknown>, this.object(type), `${path}.`, profiles, errors, warnings);
    }
    this.#primitive(v, type, path, errors);
    // the uids of the class itself are checked against the class (validate), not the dictionary's placeholders
    if (def.enum && !GENERATED_ENUMS.has(path) && !(String(v) in def.enum))
      errors.push(`${path}: ${JSON.stringify(v)} is not in the enum`);
  }

  #primitive(v: unknown, type: string, path: string, errors: string[]): void {
    if (PRIMITIVES.has(type)) {
      const ok =
        type === 'json_t' ||
        (type === 'string_t' && typeof v === 'string') ||
        ((type === 'integer_t' || type === 'long_t') && Number.isSafeInteger(v)) ||
        (type === 'float_t' && typeof v === 'number' && Number.isFinite(v)) ||
        (type === 'boolean_t' && typeof v === 'boolean');
      if (!ok) errors.push(`${path}: ${JSON.stringify(v)} is not ${type}`);
      if (type === 'integer_t' && Number.isSafeInteger(v) && Math.abs(v as number) > 2 ** 31)
        errors.push(`${path}: ${String(v)} does not fit integer_t`);
      return;
    }
    const t = this.#dictionary.types.attributes[type];
    if (!t) return void errors.push(`${path}: unknown type ${type}`);
    this.#primitive(v, t.type ?? 'string_t', path, errors);
    if (t.regex && typeof v === 'string' && !new RegExp(t.regex).test(v))
      errors.push(`${path}: ${JSON.stringify(v)} does not match ${type}`);
    if (t.max_len && typeof v === 'string' && v.length > t.max_len) errors.push(`${path}: longer than ${t.max_len}`);
    if (t.range && typeof v === 'number' && (v < t.range[0] || v > t.range[1]))
      errors.push(`${path}: ${v} is outside ${t.range.join('..')}`);
    if (t.values && !t.values.includes(v)) errors.push(`${path}: ${JSON.stringify(v)} is not one of ${type}'s values`);
  }
}
