// The process entry point: parse arguments, run the command, map errors to exit codes. Nothing else.
import { CommanderError, type Command } from 'commander';
import { buildProgram, usageHint } from './program.ts';
import { exitCodeOf, formatError, isUsageError } from './exit.ts';
import { interruptedBy } from './interrupt.ts';

// A reader that stops early (`| head`) closes the pipe: that ends the output, it is not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});

let running: Command | undefined;
try {
  const program = buildProgram();
  program.hook('preAction', (_program, command) => void (running = command));
  await program.parseAsync(process.argv);
} catch (error) {
  // commander has printed its own usage errors, with the hint line
  if (!(error instanceof CommanderError)) {
    process.stderr.write(`asmvs: ${formatError(error)}\n`);
    if (isUsageError(error) && running) process.stderr.write(`${usageHint(running)}\n`);
  }
  process.exitCode = exitCodeOf(error);
}
// Interrupted: what the command had is printed; end as the signal would have ended us, so a shell loop stops.
const signal = interruptedBy();
if (signal) process.kill(process.pid, signal);
