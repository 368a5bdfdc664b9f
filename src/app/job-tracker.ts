// Follows one request through the stages from its job-status events (pure), read through the typed protocol
// (processors/job-events.ts). A discovery request is done when asm_progress has counted every host, asm_exposure
// has judged every asset, and every scan it asked for has had each of its reports normalized; an on-demand scan
// request when its scans are. Failed at the first FAILED of the request itself (a host that cannot be scanned is
// counted by asm_progress instead).
import { readJobEvent, type HostCounts } from '../processors/job-events.ts';
import type { JobStatus } from '../schemas/types.gen.ts';

export type JobOutcome =
  { state: 'running' } | { state: 'completed'; summary: string } | { state: 'failed'; stage: string; reason: string };

interface ScanProgress {
  /** Raw reports the fetcher produced; undefined until it reports. */
  outputs: number | undefined;
  readonly normalized: Set<string>;
  findings: number;
}

export class JobTracker {
  readonly requestId: string;
  /** 'discovery': starts at asm_discovery; 'scan': an on-demand scan request (vs_scan_trigger). */
  readonly kind: 'discovery' | 'scan';
  #hosts: HostCounts | undefined;
  #hostsComplete = false;
  readonly #judged = new Map<string, boolean>();
  readonly #scans = new Map<string, ScanProgress>();
  #failure: { stage: string; reason: string } | undefined;

  constructor(requestId: string, kind: 'discovery' | 'scan' = 'discovery') {
    this.requestId = requestId;
    this.kind = kind;
  }

  /** The latest host counts of a discovery request, for progress displays. */
  get hosts(): { counts: HostCounts; complete: boolean } | undefined {
    return this.#hosts && { counts: this.#hosts, complete: this.#hostsComplete };
  }

  /** Takes one status (others' requests are ignored) and returns where the request now stands. */
  observe(status: JobStatus): JobOutcome {
    if (status.requestId !== this.requestId) return this.outcome();
    const event = readJobEvent(status);
    switch (event?.type) {
      case 'failed':
        this.#failure ??= { stage: event.stage, reason: `${event.reason}${event.code ? ` [${event.code}]` : ''}` };
        break;
      case 'hosts':
        // Counts only grow: a late PROGRESS after COMPLETED (timers, redelivery) does not take them back.
        if (!this.#hostsComplete) {
          this.#hosts = event.counts;
          this.#hostsComplete = event.complete;
        }
        break;
      case 'asset-judged':
        this.#judged.set(event.assetId, event.scanRequested);
        break;
      case 'scan-started':
        this.#scan(event.scanId);
        break;
      case 'scan-fetched':
        this.#scan(event.scanId).outputs = event.outputs;
        break;
      case 'scan-normalized': {
        const scan = this.#scan(event.scanId);
        if (!scan.normalized.has(status.eventId)) {
          scan.normalized.add(status.eventId);
          scan.findings += event.findings;
        }
        break;
      }
      default:
        break;
    }
    return this.outcome();
  }

  #scan(scanId: string): ScanProgress {
    let scan = this.#scans.get(scanId);
    if (!scan) this.#scans.set(scanId, (scan = { outputs: undefined, normalized: new Set(), findings: 0 }));
    return scan;
  }

  outcome(): JobOutcome {
    if (this.#failure) return { state: 'failed', ...this.#failure };
    const scans = [...this.#scans.values()];
    const finished = scans.filter((s) => s.outputs !== undefined && s.normalized.size >= s.outputs);
    const findings = finished.reduce((n, s) => n + s.findings, 0);
    if (this.kind === 'scan') {
      return scans.length > 0 && finished.length === scans.length
        ? { state: 'completed', summary: `${finished.length} scans finished, ${findings} findings` }
        : { state: 'running' };
    }
    const hosts = this.#hosts;
    if (!hosts || !this.#hostsComplete || this.#judged.size < hosts.assets) return { state: 'running' };
    const requested = [...this.#judged.values()].filter(Boolean).length;
    if (finished.length < requested) return { state: 'running' };
    return {
      state: 'completed',
      summary:
        `${hosts.addresses} addresses (${hosts.up} up, ${hosts.down} down${hosts.failed > 0 ? `, ${hosts.failed} failed` : ''}), ` +
        `${hosts.assets} assets, ${requested} scans finished, ${findings} findings`,
    };
  }
}
