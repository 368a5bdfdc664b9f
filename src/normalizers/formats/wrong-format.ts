import { AsmvsError } from '../../errors.ts';

/** A parser given a report of another format refuses it rather than returning no findings (which would resolve all). */
export function wrongFormat(format: string, why: string): AsmvsError {
  return new AsmvsError('REPORT_FORMAT_UNKNOWN', `the report is not ${format}: ${why}`, { details: { format } });
}
