// The asmvs command tree. Each command lives in its own file under commands/ and is listed here once.
import { Command } from 'commander';
import { readFileSync } from 'node:fs';
import { changesCommand } from './commands/changes.ts';
import { describeCommand } from './commands/describe.ts';
import { discoverCommand } from './commands/discover.ts';
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

export function buildProgram(): Command {
  const program = new Command('asmvs')
    .description('Attack-surface management and vulnerability-scanning workers on Apache Kafka')
    .version(version)
    .showHelpAfterError()
    .exitOverride();
  program.addCommand(scanCommand());
  program.addCommand(discoverCommand());
  program.addCommand(runCommand());
  program.addCommand(tailCommand());
  program.addCommand(replayCommand());
  program.addCommand(statusCommand());
  program.addCommand(describeCommand());
  program.addCommand(topicsCommand());
  program.addCommand(normalizeCommand());
  program.addCommand(monitorCommand());
  program.addCommand(changesCommand());
  // addCommand() does not pass settings down: every command must throw, not exit, so main.ts picks the exit code.
  const throwEverywhere = (command: Command): void => {
    command.exitOverride().showHelpAfterError();
    command.commands.forEach(throwEverywhere);
  };
  throwEverywhere(program);
  return program;
}
