// The parts of an nmap XML report that asmvs uses.

export interface NmapService {
  readonly name: string | null;
  readonly product: string | null;
  readonly version: string | null;
  readonly extrainfo: string | null;
  readonly tunnel: string | null;
  readonly method: string | null;
  readonly conf: number | null;
}

export interface NmapPort {
  readonly protocol: string;
  readonly port: number;
  readonly state: string;
  readonly reason: string | null;
  readonly service: NmapService | null;
  readonly scripts: readonly { readonly id: string; readonly output: string }[];
}

export interface NmapHost {
  readonly addresses: readonly { readonly addr: string; readonly type: string }[];
  readonly hostnames: readonly string[];
  readonly status: string | null;
  readonly ports: readonly NmapPort[];
}

export interface NmapReport {
  readonly scanner: string | null;
  readonly version: string | null;
  readonly args: string | null;
  readonly hosts: readonly NmapHost[];
  /** runstats/finished exit="success": the scan ran to the end. */
  readonly finished: boolean;
}
