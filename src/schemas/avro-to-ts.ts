// Renders TypeScript declarations from Avro schemas, so the types cannot drift from the .avsc contract
// (scripts/gen-types.ts writes them; a test fails when the committed file differs from a fresh render).
import { AsmvsError } from '../errors.ts';
type Json = string | number | boolean | null | Json[] | { [k: string]: Json };
type Schema = string | Schema[] | { type: string; [k: string]: Json };

const PRIMITIVES: Record<string, string> = {
  null: 'null',
  boolean: 'boolean',
  int: 'number',
  long: 'number',
  float: 'number',
  double: 'number',
  bytes: 'Buffer',
  string: 'string',
};

export function renderTypes(schemas: readonly { topic: string; schema: Schema }[]): string {
  const declared = new Map<string, string>();
  const order: string[] = [];

  const declare = (name: string, body: string) => {
    const previous = declared.get(name);
    if (previous !== undefined && previous !== body)
      throw new AsmvsError('INTERNAL', `Avro type ${name} is defined twice, differently`);
    if (previous === undefined) order.push(name);
    declared.set(name, body);
  };

  const typeOf = (schema: Schema): string => {
    if (typeof schema === 'string') return PRIMITIVES[schema] ?? shortName(schema);
    if (Array.isArray(schema)) return schema.map(typeOf).join(' | ');
    const { type } = schema;
    if (type === 'record') {
      const name = shortName(String(schema['name']));
      const fields = (schema['fields'] as { name: string; type: Schema; doc?: string }[]).map((f) => {
        const doc = f.doc ? `  /** ${f.doc} */\n` : '';
        return `${doc}  ${f.name}: ${typeOf(f.type)};`;
      });
      declare(name, `export interface ${name} {\n${fields.join('\n')}\n}`);
      return name;
    }
    if (type === 'enum') {
      const name = shortName(String(schema['name']));
      const symbols = (schema['symbols'] as string[]).map((s) => `'${s}'`).join(' | ');
      declare(name, `export type ${name} = ${symbols};`);
      return name;
    }
    if (type === 'array') return `${wrap(typeOf(schema['items'] as Schema))}[]`;
    if (type === 'map') return `Record<string, ${typeOf(schema['values'] as Schema)}>`;
    return PRIMITIVES[type] ?? shortName(type);
  };

  const topics = schemas.map(({ topic, schema }) => `  '${topic}': ${typeOf(schema)};`);
  return [
    '// Generated from src/schemas/*.avsc by scripts/gen-types.ts. Do not edit; edit the .avsc and regenerate.',
    '',
    ...order.map((n) => `${declared.get(n)}\n`),
    '/** The value type of each topic. */',
    `export interface TopicValues {\n${topics.join('\n')}\n}`,
    '',
  ].join('\n');
}

function shortName(fullName: string): string {
  return fullName.slice(fullName.lastIndexOf('.') + 1);
}

function wrap(t: string): string {
  return t.includes('|') ? `(${t})` : t;
}
