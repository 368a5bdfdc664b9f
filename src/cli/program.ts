// The asmvs command tree. Each command's options are defined in commands/ and listed here once; its implementation
// (actions/) is imported only when it runs, so `--version`, `--help` and usage errors load nothing else.
import { Command } from 'commander';
import { readFileSync } from 'node:fs';
import { changesCommand } from './commands/changes.ts';
import { describeCommand } from './commands/describe.ts';
import { discoverCommand } from './commands/discover.ts';
import { dlqCommand } from './commands/dlq.ts';
import { replayCommand } from './commands/replay.ts';
import { runCommand } from './commands/run.ts';
import { monitorCommand } from './commands/monitor.ts';
import { normalizeCommand } from './commands/normalize.ts';
import { scanCommand } from './commands/scan.ts';
import { statusCommand } from './commands/status.ts';
import { tailCommand } from './commands/tail.ts';
import { topicsCommand } from './commands/topics.ts';

const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
  version: string;
};

/** The one line a usage error prints after its message. */
export function usageHint(command: Command): string {
  const path: string[] = [];
  for (let c: Command | null = command; c; c = c.parent) path.unshift(c.name());
  return `(${path.join(' ')} --help shows the usage)`;
}

export function buildProgram(): Command {
  const program = new Command('asmvs')
    .description('Attack-surface management and vulnerability-scanning workers on Apache Kafka')
    .version(version, '-V, --version');
  for (const command of [
    scanCommand(),
    discoverCommand(),
    runCommand(),
    tailCommand(),
    dlqCommand(),
    replayCommand(),
    statusCommand(),
    describeCommand(),
    topicsCommand(),
    normalizeCommand(),
    monitorCommand(),
    changesCommand(),
  ])
    program.addCommand(command);
  // addCommand() does not pass settings down: every command must throw, not exit, so main.ts picks the exit code;
  // a usage error prints its message and one hint line, not the whole help.
  const throwEverywhere = (command: Command): void => {
    command.exitOverride().showHelpAfterError(usageHint(command));
    command.commands.forEach(throwEverywhere);
  };
  throwEverywhere(program);
  return program;
}
