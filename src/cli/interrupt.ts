// Ctrl-C (SIGINT) and SIGTERM stop the command's work through an AbortSignal; the command prints what it has (the
// findings so far) and returns, and main.ts then ends the process by the same signal, as the Unix convention wants:
// a shell sees 130 (143) and a loop around the command stops, which an ordinary exit code would not do. A second
// signal while the command winds down ends the process at once (the default action, restored after the first).
import { AsmvsError } from '../app/errors.ts';

let received: NodeJS.Signals | undefined;

export interface Interruptible {
  readonly signal: AbortSignal;
  /** Removes the handlers (the default action again). */
  dispose(): void;
}

export function interruptible(signals: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM']): Interruptible {
  const controller = new AbortController();
  const on = (signal: NodeJS.Signals) => {
    received ??= signal;
    dispose();
    controller.abort(new AsmvsError('ABORTED', `interrupted by ${signal}`));
  };
  const dispose = () => {
    for (const s of signals) process.off(s, on);
  };
  for (const s of signals) process.on(s, on);
  return { signal: controller.signal, dispose };
}

/** The signal that interrupted a command of this process, if one did. */
export function interruptedBy(): NodeJS.Signals | undefined {
  return received;
}
