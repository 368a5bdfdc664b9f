// Adapters for vulnerability tools that ship their own databases (trivy, grype, osv-scanner, nuclei): run the binary
// when it is on PATH, return its native JSON verbatim, and say SCANNER_NOT_INSTALLED clearly when it is not.
import { AsmvsError } from '../../errors.ts';
import { collectOutput } from '../io/collect-output.ts';
import type { ScanContext, ScanInput, ScannerRun, Scanner } from '../scanner.ts';

export interface ExternalToolOptions {
  readonly name: string;
  readonly binary: string;
  readonly format: string;
  readonly targetKind: 'network' | 'artifact';
  /** The argument array for one validated target. */
  readonly args: (target: string) => string[];
  /** Exit codes that still mean "finished" (e.g. "findings present"). */
  readonly okExitCodes?: readonly number[];
  /** Turns a request target into the argument the tool gets; throws TARGET_INVALID / TARGET_OUT_OF_SCOPE. */
  readonly prepare: (input: ScanInput, ctx: ScanContext) => Promise<string>;
  readonly install: string;
}

export function externalTool(o: ExternalToolOptions): Scanner {
  const maxOutputBytes = 64 * 1024 * 1024;
  return {
    name: o.name,
    format: o.format,
    targetKind: o.targetKind,
    concurrency: 2,
    defaultTimeoutMs: 30 * 60_000,
    maxOutputBytes,
    async run(input: ScanInput, ctx: ScanContext): Promise<ScannerRun> {
      const startedAt = Date.now();
      const target = await o.prepare(input, ctx);
      if (ctx.signal.aborted) throw new AsmvsError('ABORTED', `${o.name} was aborted before it started`);
      let out;
      try {
        out = await collectOutput(ctx.io.spawn(o.binary, o.args(target), { signal: ctx.signal }), maxOutputBytes);
      } catch (error) {
        if (error instanceof AsmvsError && error.code === 'SCANNER_NOT_INSTALLED') {
          throw new AsmvsError(
            'SCANNER_NOT_INSTALLED',
            `${o.name} is not installed: "${o.binary}" was not found on PATH (${o.install})`,
            { cause: error, details: { scanner: o.name, binary: o.binary } },
          );
        }
        throw error;
      }
      if (ctx.signal.aborted) throw new AsmvsError('ABORTED', `${o.name} was aborted`);
      const ok = [0, ...(o.okExitCodes ?? [])];
      if (!out.truncated && (out.exitCode === null || !ok.includes(out.exitCode))) {
        throw new AsmvsError('SCANNER_FAILED', `${o.name} exited with ${out.exitCode}: ${out.stderr.slice(0, 500)}`, {
          details: { exitCode: out.exitCode },
        });
      }
      return {
        scanner: { name: o.name, version: null },
        format: o.format,
        payload: out.stdout,
        truncated: out.truncated,
        complete: !out.truncated,
        services: [],
        checks: [],
        startedAt,
        finishedAt: Date.now(),
      };
    },
  };
}
