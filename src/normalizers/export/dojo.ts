import type { Finding } from '../../schemas/types.gen.ts';
import type { ExportContext } from './context.ts';

export function* dojoChunks(findings: readonly Finding[], _context: ExportContext): Generator<string> {
  yield JSON.stringify(findings.length);
}
