// Follows one request through the stages from its job-status events (pure): discovery reports how many assets it
// found, exposure reports each asset and whether it asked for a scan, the fetcher reports each finished scan.
// The request is done when every asset and every requested scan has been reported; failed at the first FAILED.
import type { JobStatus } from '../schemas/types.gen.ts';

export type JobOutcome =
  { state: 'running' } | { state: 'completed'; summary: string } | { state: 'failed'; stage: string; reason: string };

export class JobTracker {
  readonly requestId: string;
  /** 'discovery': starts at asm_discovery; 'scan': an on-demand scan request, one scan. */
  readonly kind: 'discovery' | 'scan';
  readonly #triggered = new Set<string>();
  #discovered: number | undefined;
  readonly #exposed = new Map<string, number>();
  readonly #scanned = new Set<string>();
  #failure: { stage: string; reason: string } | undefined;

  constructor(requestId: string, kind: 'discovery' | 'scan' = 'discovery') {
    this.requestId = requestId;
    this.kind = kind;
  }

  /** Takes one status (others' requests are ignored) and returns where the request now stands. */
  observe(status: JobStatus): JobOutcome {
    if (status.requestId !== this.requestId) return this.outcome();
    if (status.state === 'FAILED' && !this.#failure) {
      this.#failure = {
        stage: status.stage,
        reason: `${status.message ?? 'failed'}${status.errorCode ? ` [${status.errorCode}]` : ''}`,
      };
    }
    if (status.stage === 'asm_discovery' && status.state === 'COMPLETED')
      this.#discovered = status.counts['assets'] ?? 0;
    if (status.stage === 'asm_exposure' && status.subject)
      this.#exposed.set(status.subject, status.counts['scanRequests'] ?? 0);
    if (status.stage === 'vs_scan_trigger' && status.subject) this.#triggered.add(status.subject);
    if (status.stage === 'vs_result_fetcher' && status.subject) this.#scanned.add(status.subject);
    return this.outcome();
  }

  outcome(): JobOutcome {
    if (this.#failure) return { state: 'failed', ...this.#failure };
    if (this.kind === 'scan') {
      const done = this.#triggered.size > 0 && [...this.#triggered].every((id) => this.#scanned.has(id));
      return done ? { state: 'completed', summary: `${this.#scanned.size} scans finished` } : { state: 'running' };
    }
    if (this.#discovered === undefined || this.#exposed.size < this.#discovered) return { state: 'running' };
    const requested = [...this.#exposed.values()].reduce((a, b) => a + b, 0);
    if (this.#scanned.size < requested) return { state: 'running' };
    return { state: 'completed', summary: `${this.#discovered} assets, ${requested} scans finished` };
  }
}
