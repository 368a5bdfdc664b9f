// Text from scanners and services is data: before a terminal sees it, what could move the cursor, forge a line or
// reorder what a line shows (controls, U+2028/2029, bidi overrides such as U+202E) is printed as an escape.
import { visibleText } from '../app/text.ts';

export function escapeForTerminal(text: string): string {
  return visibleText(text);
}
