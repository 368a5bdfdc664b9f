// Text from scanners and services is data: escape control characters (ANSI sequences, CR/LF) before a
// terminal sees them, so a hostile banner cannot move the cursor or forge lines.
export function escapeForTerminal(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}
