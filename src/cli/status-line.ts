// A request's progress as one rewritten line on a TTY (nothing when not a TTY): the host counts of a range while
// hosts are scanned, then each stage's latest message.
import { readJobEvent, type JobStatus } from '../app/job-events.ts';
import { escapeForTerminal } from './escape.ts';
import { progressLine } from './progress-line.ts';

export interface StatusLine {
  show(status: JobStatus): void;
  clear(): void;
}

export function statusLine(stream: NodeJS.WriteStream, now: () => number = Date.now): StatusLine {
  const started = now();
  let shown = false;
  if (stream.isTTY !== true) return { show: () => undefined, clear: () => undefined };
  return {
    show(s) {
      const event = readJobEvent(s);
      const text =
        event?.type === 'hosts'
          ? progressLine(event.counts, event.total, now() - started)
          : s.message && `${s.stage}: ${s.message}`;
      if (!text) return;
      stream.write(`\r\x1b[2K${escapeForTerminal(text).slice(0, (stream.columns ?? 100) - 1)}`);
      shown = true;
    },
    clear() {
      if (shown) stream.write('\r\x1b[2K');
      shown = false;
    },
  };
}

/** One job status as a printed line: time, stage, state and its message (escaped). */
export function jobStatusText(s: JobStatus): string {
  return `${new Date(s.producedAt).toISOString()} ${s.stage} ${s.state.toLowerCase()}${s.message ? `: ${escapeForTerminal(s.message)}` : ''}`;
}
