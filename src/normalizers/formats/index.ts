// The format list: one explicit table, no directory scanning.
import type { FormatParserFactory } from '../draft.ts';
import type { ReportFormat } from '../detect-format.ts';
import { nmapXml } from './nmap-xml.ts';
import { trivyJson } from './trivy-json.ts';
import { grypeJson } from './grype-json.ts';
import { nucleiJson, nucleiJsonl } from './nuclei-json.ts';
import { sarif } from './sarif.ts';
import { osvJson } from './osv-json.ts';
import { zapXml } from './zap-xml.ts';
import { zapJson } from './zap-json.ts';
import { openvasXml } from './openvas-xml.ts';
import { asmvsChecksJson } from './asmvs-checks-json.ts';

export const PARSERS: Readonly<Record<ReportFormat, FormatParserFactory>> = {
  'nmap-xml': nmapXml,
  'trivy-json': trivyJson,
  'grype-json': grypeJson,
  'nuclei-jsonl': nucleiJsonl,
  'nuclei-json': nucleiJson,
  sarif,
  'osv-json': osvJson,
  'zap-xml': zapXml,
  'zap-json': zapJson,
  'openvas-xml': openvasXml,
  'asmvs-checks-json': asmvsChecksJson,
};
