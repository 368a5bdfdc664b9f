// A check result in the asmvs-checks-json document (see src/scanners/README.md): one positive finding of one
// read-only exposure check against one service.

export type CheckSeverity = 'info' | 'low' | 'medium' | 'high' | 'critical';

export interface Check {
  /** Stable rule id, e.g. redis-unauthenticated: part of the finding fingerprint. */
  readonly id: string;
  readonly title: string;
  readonly severity: CheckSeverity;
  /** MISCONFIGURATION or EXPOSURE (the finding type). */
  readonly type: 'MISCONFIGURATION' | 'EXPOSURE';
  readonly host: string;
  readonly hostname: string | null;
  readonly port: number;
  readonly protocol: 'tcp';
  readonly service: string | null;
  readonly product: string | null;
  readonly version: string | null;
  /** What was observed, as data (escaped on display). */
  readonly evidence: string;
  readonly description: string;
  readonly remediation: string;
  readonly references: readonly string[];
  /** For HTTP checks: the URL that showed it. */
  readonly url: string | null;
}

/** One check that ran: lets a rescan resolve findings whose checks now pass. */
export interface CheckRun {
  readonly id: string;
  readonly host: string;
  readonly port: number;
  readonly outcome: 'pass' | 'fail' | 'error';
  readonly reason: string | null;
}
