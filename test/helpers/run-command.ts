// Runs an asmvs command in this process, as bin/asmvs.js would (the same program, the same exit-code mapping),
// under the given settings: fast enough to try hundreds of hostile inputs per door. Settings are the process's
// environment for the duration of the command (loadConfig reads it), restored afterwards.
import type { Command } from 'commander';
import { buildProgram } from '../../src/cli/program.ts';
import { exitCodeOf } from '../../src/cli/exit.ts';
import { settingsSchema } from '../../src/config/schema.ts';

export interface CommandResult {
  readonly exitCode: number;
  readonly error: unknown;
  /** What commander printed (usage errors); the commands' own output goes to process.stdout. */
  readonly output: string;
}

function quiet(command: Command, sink: (text: string) => void): void {
  command.configureOutput({ writeOut: sink, writeErr: sink, outputError: sink });
  for (const sub of command.commands) quiet(sub, sink);
}

export async function runCommand(
  args: readonly string[],
  settings: Readonly<Record<string, string>>,
): Promise<CommandResult> {
  const saved = { ...process.env };
  for (const name of Object.keys(settingsSchema.shape)) delete process.env[name];
  Object.assign(process.env, settings);
  let output = '';
  const program = buildProgram();
  quiet(program, (text) => (output += text));
  try {
    await program.parseAsync([...args], { from: 'user' });
    return { exitCode: 0, error: undefined, output };
  } catch (error) {
    return { exitCode: exitCodeOf(error), error, output };
  } finally {
    for (const name of Object.keys(process.env)) if (!(name in saved)) delete process.env[name];
    Object.assign(process.env, saved);
  }
}
