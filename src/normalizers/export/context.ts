// What an export says about the run that produced its findings: the tool, the command, when, and whether it finished.
export interface ExportContext {
  /** asmvs's version (package.json). */
  readonly version: string;
  /** The command as run, e.g. ['scan', '10.0.0.0/24', '--format', 'sarif']; recorded in SARIF invocations. */
  readonly arguments: readonly string[];
  /** What was scanned or imported: a target, or a report's file name. */
  readonly subject: string;
  readonly startedAt: number;
  readonly finishedAt: number;
  /** false when the run was interrupted or the report says it is partial: the findings are what was seen so far. */
  readonly complete: boolean;
}
