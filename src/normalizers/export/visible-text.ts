// Text from scanners and services is data: control characters (C0, DEL, C1: ANSI sequences, CR/LF), line and
// paragraph separators (U+2028/2029: a new line to some terminals and parsers) and the invisible formatting characters
// that reorder or hide text (bidi embeddings, overrides and isolates such as U+202E, marks, zero-width characters,
// the BOM) are shown as escapes (\x1b, \u202e), so a hostile banner can neither move a terminal's cursor, forge a
// line, nor make a line read differently from what it holds. `layout` keeps tab and line feed (a report's <pre>).
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/g;

export function visibleText(text: string, layout = false): string {
  return text.replace(UNSAFE, (c) => {
    if (layout && (c === '\n' || c === '\t')) return c;
    const code = c.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}
