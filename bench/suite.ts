// Every benchmark `npm run bench` runs (scripts/bench-all.ts), with arguments that keep the whole run near 25
// minutes on two cores: smaller than each bench's own defaults where those are meant for a one-off measurement, but
// long enough that each timed phase lasts seconds. `needs` says what must be there, or the bench is skipped.
// bench/runtime/stage-only.ts is not here: it is a profiling driver (the stage half of runtime/throughput).

export type Need = 'stack' | 'nmap' | 'root';

export interface SuiteBench {
  /** Its path under bench/ without `.ts`, and the name its rows carry. */
  readonly name: string;
  readonly args: readonly string[];
  readonly timeoutS: number;
  readonly needs: readonly Need[];
}

export const SUITE: readonly SuiteBench[] = [
  { name: 'cli/startup', args: ['10'], timeoutS: 180, needs: [] },
  { name: 'normalizers/throughput', args: ['4'], timeoutS: 300, needs: [] },
  { name: 'normalizers/replay', args: ['1000000'], timeoutS: 180, needs: [] },
  { name: 'scanners/full-tcp-scan', args: ['7'], timeoutS: 300, needs: ['nmap'] },
  { name: 'scanners/service-id-agreement', args: [], timeoutS: 600, needs: ['nmap'] },
  { name: 'stages/one-shot-vs-nmap', args: ['both'], timeoutS: 900, needs: ['nmap'] },
  { name: 'runtime/throughput', args: ['500000'], timeoutS: 400, needs: ['stack'] },
  { name: 'runtime/slow-work', args: ['20000', '150'], timeoutS: 240, needs: ['stack'] },
  { name: 'runtime/latency', args: ['300'], timeoutS: 180, needs: ['stack'] },
  { name: 'runtime/backlog-memory', args: ['300000', '150'], timeoutS: 480, needs: ['stack'] },
  { name: 'runtime/session-timeout', args: ['15', '100'], timeoutS: 720, needs: ['stack'] },
  { name: 'runtime/timers-reload', args: ['100000', '150'], timeoutS: 600, needs: ['stack'] },
  { name: 'stages/stage-ceiling', args: ['100000'], timeoutS: 900, needs: ['stack'] },
  { name: 'stages/request-to-finding', args: ['15'], timeoutS: 300, needs: ['stack'] },
  { name: 'stages/normalization-throughput', args: ['100000', '20', '3'], timeoutS: 480, needs: ['stack'] },
  { name: 'stages/replay-memory', args: ['300000', '150'], timeoutS: 400, needs: ['stack'] },
  { name: 'scanners/range-scan', args: ['3', '30', '1234'], timeoutS: 900, needs: ['stack', 'nmap', 'root'] },
];
