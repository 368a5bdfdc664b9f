// Findings in the formats other tools read, as chunks of text to write one after another (a million findings never
// become one string): JSON (the finding schema), SARIF 2.1.0, OCSF Vulnerability Findings, DefectDojo's Generic
// Findings Import, and one self-contained HTML page. The exporters live in normalizers/export/.
import type { Finding } from '../schemas/types.gen.ts';
import type { ExportContext } from '../normalizers/export/context.ts';
import type { OutputFormat } from './names.ts';

export type { ExportContext } from '../normalizers/export/context.ts';

export async function exportChunks(
  format: Exclude<OutputFormat, 'table'>,
  findings: readonly Finding[],
  context: ExportContext,
): Promise<Iterable<string>> {
  switch (format) {
    case 'json':
      return (await import('../normalizers/export/json-array.ts')).jsonArray(findings);
    case 'sarif':
      return (await import('../normalizers/export/sarif.ts')).sarifChunks(findings, context);
    case 'ocsf':
      return (await import('../normalizers/export/ocsf.ts')).ocsfChunks(findings, context);
    case 'dojo':
      return (await import('../normalizers/export/dojo.ts')).dojoChunks(findings, context);
    case 'html':
      return (await import('../normalizers/export/html.ts')).htmlChunks(findings, context);
  }
}
