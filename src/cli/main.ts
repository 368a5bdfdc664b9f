// The process entry point: parse arguments, run the command, map errors to exit codes. Nothing else.
import { CommanderError } from 'commander';
import { buildProgram } from './program.ts';
import { exitCodeOf, formatError } from './exit.ts';

// A reader that stops early (`| head`) closes the pipe: that ends the output, it is not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});

try {
  await buildProgram().parseAsync(process.argv);
} catch (error) {
  // commander has already printed its own usage errors
  if (!(error instanceof CommanderError)) process.stderr.write(`asmvs: ${formatError(error)}\n`);
  process.exitCode = exitCodeOf(error);
}
