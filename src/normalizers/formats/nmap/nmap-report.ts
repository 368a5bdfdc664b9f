// The parts of an nmap XML report (-oX) that asmvs uses: what the nmap scanner turns into services and the
// normalizer into findings. One model, read by one parser (read-nmap-xml.ts).
import type { XmlElement } from '../../parse/xml-walk.ts';

export interface NmapService {
  readonly name: string | null;
  readonly product: string | null;
  readonly version: string | null;
  readonly extrainfo: string | null;
  readonly tunnel: string | null;
  readonly method: string | null;
  readonly conf: number | null;
  readonly cpes: readonly string[];
}

export interface NmapScript {
  readonly id: string;
  readonly output: string;
  /** The script's structured output (<table>, <elem>), for the scripts the normalizer maps. */
  readonly element: XmlElement;
}

export interface NmapPort {
  readonly protocol: string;
  readonly port: number;
  readonly state: string;
  readonly reason: string | null;
  readonly service: NmapService | null;
  readonly scripts: readonly NmapScript[];
}

export interface NmapHostname {
  readonly name: string;
  /** "user" (the name given on the command line) or "PTR" (reverse DNS). */
  readonly type: string | null;
}

export interface NmapHost {
  readonly addresses: readonly { readonly addr: string; readonly type: string }[];
  readonly hostnames: readonly NmapHostname[];
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
