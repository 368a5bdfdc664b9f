// The error catalogue as the CLI sees it (codes decide exit codes; messages are printed).
export { AsmvsError, isAsmvsError, type ErrorCode } from '../errors.ts';
