// -q/--quiet and -v/--verbose: how much besides the result a command prints on stderr (progress, summaries, logs).
import { type Command, Option } from 'commander';

export interface VerbosityOptions {
  quiet?: boolean;
  verbose?: boolean;
}

export function addVerbosityOptions(command: Command): Command {
  return command
    .addOption(
      new Option('-q, --quiet', 'print the result only: no progress, summary or warnings').conflicts('verbose'),
    )
    .addOption(new Option('-v, --verbose', 'log at LOG_LEVEL (default info) on stderr instead of warnings only'));
}

/** The log level of the command's own logger: errors only, warnings (default), or LOG_LEVEL. */
export function logLevelOf(o: VerbosityOptions, configured: string): string {
  return o.quiet ? 'error' : o.verbose ? configured : 'warn';
}
