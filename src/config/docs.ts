// Renders the README's configuration table from the one schema, so the docs cannot drift from the code.
import type { z } from 'zod';
import { withSection } from '../generated-doc.ts';
import { SECRET_SETTINGS, settingsSchema } from './schema.ts';

function defaultOf(field: z.ZodType): string {
  const def = field._zod.def as { type: string; defaultValue?: unknown };
  if (def.type !== 'default') return '';
  const value = Array.isArray(def.defaultValue) ? def.defaultValue.join(',') : String(def.defaultValue);
  return value === '' ? '(empty)' : `\`${value}\``;
}

export function renderConfigTable(): string {
  const rows = Object.entries(settingsSchema.shape).map(([name, field]: [string, z.ZodType]) => {
    const secret = SECRET_SETTINGS.has(name) ? ' Redacted from logs.' : '';
    return `| \`${name}\` | ${defaultOf(field)} | ${(field.description ?? '').replaceAll('|', '\\|')}${secret} |`;
  });
  return ['| variable | default | meaning |', '|---|---|---|', ...rows].join('\n');
}

/** The README with its configuration table replaced by a fresh render. */
export function withConfigTable(readme: string): string {
  return withSection(readme, 'config-table', renderConfigTable());
}
