// Text from scanners shown to people: escapes for what could fool a terminal or a reader (bidi, separators, controls).
export { visibleText } from '../normalizers/export/visible-text.ts';
