// SIGTERM/SIGINT: drain within the deadline, commit, exit 0. The runner enforces the deadline; the hard timer
// here is only a last resort for a stop() that hangs (e.g. a broker that stopped answering).
import type { Logger } from '../processor.ts';

export interface Stoppable {
  stop(): Promise<void>;
}

export interface SignalOptions {
  readonly log: Logger;
  /** The runner's shutdown deadline; the process is forced out 10 s after it. */
  readonly deadlineMs: number;
  readonly exit?: (code: number) => void;
  readonly signals?: readonly NodeJS.Signals[];
}

/** Installs the handlers; returns a function that removes them. A second signal exits at once with code 1. */
export function installSignalHandlers(target: Stoppable, options: SignalOptions): () => void {
  const exit = options.exit ?? ((code: number) => process.exit(code));
  const signals = options.signals ?? ['SIGTERM', 'SIGINT'];
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) {
      options.log.warn({ signal }, 'second signal; exiting without draining');
      return exit(1);
    }
    stopping = true;
    options.log.info({ signal, deadlineMs: options.deadlineMs }, 'stopping: draining in-flight work');
    const hard = setTimeout(() => {
      options.log.error('stop did not finish in time; exiting');
      exit(1);
    }, options.deadlineMs + 10_000);
    hard.unref();
    target.stop().then(
      () => {
        clearTimeout(hard);
        exit(0);
      },
      (error: unknown) => {
        clearTimeout(hard);
        options.log.error({ err: error }, 'stop failed');
        exit(1);
      },
    );
  };
  for (const s of signals) process.on(s, onSignal);
  return () => {
    for (const s of signals) process.off(s, onSignal);
  };
}
