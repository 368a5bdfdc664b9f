// A plain text table for terminals: columns padded to their widest cell, every cell escaped. Widths are found in
// one pass and lines produced one at a time, so a table of a million findings needs no argument list or string of
// that size (Math.max(...cells) throws past ~100k arguments).
import { escapeForTerminal } from './escape.ts';

export function* tableLines(header: readonly string[], rows: readonly (readonly string[])[]): Generator<string> {
  const widths = header.map((h) => escapeForTerminal(h).length);
  const escaped = rows.map((row) =>
    header.map((_, i) => {
      const cell = escapeForTerminal(row[i] ?? '');
      if (cell.length > widths[i]!) widths[i] = cell.length;
      return cell;
    }),
  );
  const line = (row: readonly string[]) =>
    `${row
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd()}\n`;
  yield line(header.map(escapeForTerminal));
  yield `${widths.map((w) => '-'.repeat(w)).join('  ')}\n`;
  for (const row of escaped) yield line(row);
}

export function renderTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  return [...tableLines(header, rows)].join('');
}
