// Generated from src/schemas/*.avsc by scripts/gen-types.ts. Do not edit; edit the .avsc and regenerate.

export interface Producer {
  stage: string;
  version: string;
}

export interface Scope {
  /** CIDRs, addresses and domains (a domain covers its subdomains) */
  allow: string[];
  /** CIDRs, addresses and domains excluded */
  deny: string[];
}

export type DiscoveryEngine = 'BUILTIN' | 'PLATFORM';

export interface HostPing {
  /** false: every address is port-scanned (nmap -Pn) */
  enabled: boolean;
  /** Ping ports; empty: the default (80, 443, 22, 3389) */
  ports: number[];
}

export interface ScanLimits {
  /** Hosts of this request scanned at once per copy */
  hostsInFlight: null | number;
  /** Connections of this request open at once per copy */
  connectionsInFlight: null | number;
  /** New connections of this request per second per copy */
  connectionsPerSecond: null | number;
}

export interface DiscoveryRequest {
  /** Unique id of this event, for de-duplication */
  eventId: string;
  /** The job this event belongs to */
  requestId: string;
  /** When the producer made the event (ms since epoch) */
  producedAt: number;
  /** The stage and version that produced it */
  producer: Producer;
  /** Hostnames, domains, IP addresses or CIDRs */
  targets: string[];
  /** Narrows the operator's scope; null: the operator's policy alone */
  scope: null | Scope;
  /** Port spec: a top list (top-100, top-1000), all, or ports and ranges such as 22,80,8000-8100; null: the scan profile's ports */
  ports: null | string;
  /** fast | default | full */
  profile: string;
  enumerateSubdomains: boolean;
  reverseDns: boolean;
  /** BUILTIN: our scanners; PLATFORM: the legacy POST /api/v1/asm/discover */
  engine: DiscoveryEngine;
  /** Let asm_exposure request scans for what is found */
  scanAfterDiscovery: boolean;
  organizationId: null | string;
  labels: Record<string, string>;
  /** Host discovery; null: on, default ports */
  ping: null | HostPing;
  /** Lower the operator's concurrency and rate caps for this request; null: the caps */
  limits: null | ScanLimits;
}

export interface HostScan {
  /** Unique id of this event, for de-duplication */
  eventId: string;
  /** The job this event belongs to */
  requestId: string;
  /** When the producer made the event (ms since epoch) */
  producedAt: number;
  /** The stage and version that produced it */
  producer: Producer;
  /** The canonical address to scan (scope-checked at expansion and again when it runs) */
  address: string;
  /** The name it was resolved from, or null for a literal address */
  hostname: null | string;
  /** Position of this item in its request's expansion (0-based): how asm_progress counts each host once */
  index: number;
  /** Port spec; null: the profile's ports */
  ports: null | string;
  profile: string;
  /** Host discovery; null: on, default ports */
  ping: null | HostPing;
  limits: null | ScanLimits;
  /** Narrows the operator's scope; null: the operator's policy alone */
  scope: null | Scope;
  reverseDns: boolean;
  scanAfterDiscovery: boolean;
  organizationId: null | string;
  labels: Record<string, string>;
}

export type ProgressKind = 'EXPANDED' | 'HOST_DONE';

export interface DiscoveryProgress {
  /** Unique id of this event, for de-duplication */
  eventId: string;
  /** The job this event belongs to */
  requestId: string;
  /** When the producer made the event (ms since epoch) */
  producedAt: number;
  /** The stage and version that produced it */
  producer: Producer;
  /** EXPANDED: asm_discovery emitted a chunk of host items; HOST_DONE: host_scan finished one */
  kind: ProgressKind;
  /** EXPANDED: the chunk's number (0, 1, … in order) */
  chunk: number;
  /** EXPANDED: index of the chunk's first host item */
  firstIndex: number;
  /** EXPANDED: host items in the chunk */
  items: number;
  /** EXPANDED: the last chunk (the total is known) */
  final: boolean;
  /** EXPANDED: names in the chunk that did not resolve or resolved out of scope */
  unresolved: number;
  /** HOST_DONE: the host item's index */
  index: number;
  address: null | string;
  /** HOST_DONE: the host answered (or ping was off) */
  up: boolean;
  /** HOST_DONE: open services found */
  openPorts: number;
  /** Assets emitted (EXPANDED: domain assets; HOST_DONE: 1 when the host is up) */
  assets: number;
  /** HOST_DONE: the round trip of a host found up by its ping (the quickest of its ping's and its port scan's answers), or null; every host_scan copy learns the request's ping timeout from these */
  rttMs: null | number;
  /** HOST_DONE: why the host could not be scanned (dead-lettered), or null */
  errorCode: null | string;
}

export type AssetKind = 'IP' | 'DOMAIN';

export interface DnsRecord {
  type: string;
  name: string;
  value: string;
  ttl: null | number;
}

export type Transport = 'TCP' | 'UDP';

export interface TlsInfo {
  subject: null | string;
  issuer: null | string;
  subjectAltNames: string[];
  notBefore: null | number;
  notAfter: null | number;
  selfSigned: boolean;
  /** TLS versions the server accepted, e.g. TLSv1.2 */
  protocols: string[];
  fingerprintSha256: null | string;
}

export interface HttpInfo {
  url: string;
  status: number;
  title: null | string;
  server: null | string;
  redirects: string[];
  /** Selected response headers, lower-cased names */
  headers: Record<string, string>;
}

export interface Service {
  port: number;
  protocol: Transport;
  state: string;
  /** Service name, e.g. redis, http, postgresql */
  service: null | string;
  product: null | string;
  version: null | string;
  /** First bytes the service sent, capped, as data */
  banner: null | string;
  tls: null | TlsInfo;
  http: null | HttpInfo;
  /** Probe facts, e.g. auth=none */
  attributes: Record<string, string>;
}

export interface Reachability {
  /** syn-ack, reset, or ping-off (not probed) */
  reason: string;
  /** The ping port that answered */
  port: null | number;
  /** Connect round trip of that answer */
  rttMs: null | number;
}

export interface Asset {
  /** Unique id of this event, for de-duplication */
  eventId: string;
  /** The job this event belongs to */
  requestId: string;
  /** When the producer made the event (ms since epoch) */
  producedAt: number;
  /** The stage and version that produced it */
  producer: Producer;
  /** sha256 over (kind, canonical value): deterministic */
  assetId: string;
  kind: AssetKind;
  /** Canonical address or domain name */
  value: string;
  hostnames: string[];
  addresses: string[];
  dnsRecords: DnsRecord[];
  services: Service[];
  observedAt: number;
  discoveredBy: string;
  /** The scope of the request that found it, carried to the scans */
  scope: null | Scope;
  scanAfterDiscovery: boolean;
  organizationId: null | string;
  labels: Record<string, string>;
  /** IP assets found by host_scan: how the host was found up; null otherwise */
  reachability: null | Reachability;
  /** IP assets: the name this address was resolved from (forward DNS) when the request named one; domain scope rules apply through it (reverse names never do) */
  resolvedFrom: null | string;
}

export type ScanEngine = 'BUILTIN' | 'PLATFORM';

export type ExposureLevel = 'PUBLIC' | 'INTERNAL';

export interface Exposure {
  level: ExposureLevel;
  /** 0-100, rules in docs/exposure.md */
  score: number;
  tags: string[];
  reasons: string[];
}

export interface ScanRequest {
  /** Unique id of this event, for de-duplication */
  eventId: string;
  /** The job this event belongs to */
  requestId: string;
  /** When the producer made the event (ms since epoch) */
  producedAt: number;
  /** The stage and version that produced it */
  producer: Producer;
  assetId: null | string;
  /** Address, hostname or URL */
  target: string;
  /** Ports to check; empty: the profile's ports */
  ports: number[];
  /** Scanner names; empty: the profile's scanners */
  scanners: string[];
  profile: string;
  /** null: the configured SCAN_ENGINE */
  engine: null | ScanEngine;
  /** on-demand | policy | scheduled */
  reason: string;
  exposure: null | Exposure;
  scope: null | Scope;
  /** How long the scan may take; null: SCAN_DEADLINE_MS */
  deadlineMs: null | number;
  /** The name the target address was reached through: a domain allow rule applies to it once the name is checked to still resolve to that address */
  hostname: null | string;
  /** Services discovery identified on the target, right before this request: the built-in scanners use them for the ports still open instead of identifying them again; empty: the scanners identify what they find */
  services: Service[];
}

export interface ScanJob {
  /** Unique id of this event, for de-duplication */
  eventId: string;
  /** The job this event belongs to */
  requestId: string;
  /** When the producer made the event (ms since epoch) */
  producedAt: number;
  /** The stage and version that produced it */
  producer: Producer;
  /** Deterministic, from the scan request */
  scanId: string;
  assetId: null | string;
  target: string;
  /** The address the target resolved to once; what gets scanned */
  address: null | string;
  ports: number[];
  scanners: string[];
  profile: string;
  engine: ScanEngine;
  /** The platform's scan id (PLATFORM engine) */
  platformScanId: null | string;
  scope: null | Scope;
  startedAt: number;
  deadlineAt: number;
  /** The name the address was reached through (from the scan request): scanners check scope with it */
  hostname: null | string;
  /** The request's identified services (see scan-requests): used for the ports still open, not identified again */
  services: Service[];
}

export interface ScannerRef {
  name: string;
  version: null | string;
}

export interface RawFinding {
  /** Unique id of this event, for de-duplication */
  eventId: string;
  /** The job this event belongs to */
  requestId: string;
  /** When the producer made the event (ms since epoch) */
  producedAt: number;
  /** The stage and version that produced it */
  producer: Producer;
  scanId: string;
  assetId: null | string;
  target: string;
  address: null | string;
  scanner: ScannerRef;
  /** nmap-xml | asmvs-checks-json | trivy-json | grype-json | nuclei-jsonl | sarif | osv-json | zap-xml | zap-json | openvas-xml | … */
  format: string;
  /** The scanner's output exactly as it produced it */
  payload: Buffer;
  /** The output hit the byte cap */
  truncated: boolean;
  /** The scan ran to the end (a finished rescan may resolve findings) */
  complete: boolean;
  part: number;
  /** Large outputs are split; parts share scanId and scanner */
  parts: number;
  startedAt: number;
  finishedAt: number;
}

export type FindingType = 'VULNERABILITY' | 'MISCONFIGURATION' | 'EXPOSURE' | 'SECRET' | 'SERVICE' | 'LICENSE';

export type Severity = 'INFO' | 'LOW' | 'MEDIUM' | 'HIGH' | 'CRITICAL';

export type Confidence = 'UNKNOWN' | 'LOW' | 'MEDIUM' | 'HIGH';

export type FindingStatus = 'NEW' | 'OPEN' | 'RESOLVED' | 'SUPPRESSED' | 'NOT_AFFECTED';

export interface Cvss {
  version: string;
  vector: null | string;
  baseScore: null | number;
  source: null | string;
}

export interface Epss {
  score: number;
  percentile: null | number;
}

export interface AffectedAsset {
  assetId: null | string;
  hostname: null | string;
  /** Every name the scanner gave the host (nmap: the name scanned and the PTR name), hostname first */
  hostnames: string[];
  ip: null | string;
  port: null | number;
  protocol: null | string;
  service: null | string;
  product: null | string;
  version: null | string;
  url: null | string;
}

export interface AffectedPackage {
  name: string;
  version: null | string;
  fixedVersion: null | string;
  purl: null | string;
  path: null | string;
  ecosystem: null | string;
  /** The package's licenses as the scanner names them (SPDX ids where it gives them) */
  licenses: string[];
  /** The scanner's word for the fix state (Trivy Status: fixed, affected, will_not_fix, fix_deferred, end_of_life, under_investigation, not_affected) */
  fixStatus: null | string;
}

export interface AffectedCode {
  file: string;
  line: null | number;
  endLine: null | number;
}

export interface ScannerInfo {
  name: string;
  version: null | string;
}

export interface Provenance {
  rawTopic: string;
  partition: number;
  offset: number;
  scanId: null | string;
  rawEventId: null | string;
}

export interface Finding {
  /** Unique id of this event, for de-duplication */
  eventId: string;
  /** The job this event belongs to */
  requestId: string;
  /** When the producer made the event (ms since epoch) */
  producedAt: number;
  /** The stage and version that produced it */
  producer: Producer;
  /** finding_info.uid: sha256 over scanner family, rule id and asset key */
  fingerprint: string;
  findingType: FindingType;
  title: string;
  description: null | string;
  severity: Severity;
  /** OCSF: 1 info … 5 critical */
  severityId: number;
  /** The scanner's own label */
  scannerSeverity: null | string;
  confidence: Confidence;
  /** NEW as the normalizer emits it; SUPPRESSED when the report says the result is suppressed (SARIF suppressions); NOT_AFFECTED when the scanner says the package is not affected (Trivy Status not_affected). The sink keeps its own lifecycle (NEW, OPEN, RESOLVED, REOPENED). */
  status: FindingStatus;
  /** OCSF: 1 new, 2 in progress/open, 3 suppressed, 4 resolved, 99 other (not affected) */
  statusId: number;
  /** Rule, check, plugin or template id */
  ruleId: null | string;
  cves: string[];
  /** GHSA, OSV and vendor advisory ids */
  advisories: string[];
  cwes: string[];
  cvss: Cvss[];
  epss: null | Epss;
  asset: AffectedAsset;
  affectedPackage: null | AffectedPackage;
  affectedCode: null | AffectedCode;
  remediation: null | string;
  references: string[];
  /** Capped, never hashed */
  evidence: null | string;
  /** How the scanner matched the finding, in its own words (Grype: matcher and match type, e.g. apk-matcher exact-direct-match) */
  matchedBy: null | string;
  firstSeen: number;
  lastSeen: number;
  scanner: ScannerInfo;
  normalizerVersion: string;
  provenance: Provenance;
  occurrences: number;
}

export type JobState = 'ACCEPTED' | 'RUNNING' | 'PROGRESS' | 'COMPLETED' | 'FAILED';

export interface JobStatus {
  /** Unique id of this event, for de-duplication */
  eventId: string;
  /** The job this event belongs to */
  requestId: string;
  /** When the producer made the event (ms since epoch) */
  producedAt: number;
  /** The stage and version that produced it */
  producer: Producer;
  stage: string;
  state: JobState;
  /** What this status is about: an asset id, scan id or target */
  subject: null | string;
  message: null | string;
  errorCode: null | string;
  done: null | number;
  total: null | number;
  counts: Record<string, number>;
}

export type ChangeKind = 'ASSET_APPEARED' | 'ASSET_DISAPPEARED' | 'PORT_OPENED' | 'PORT_CLOSED' | 'SERVICE_CHANGED' | 'CERTIFICATE_CHANGED' | 'CERTIFICATE_EXPIRING' | 'EXPOSURE_CHANGED' | 'FINDING_OPENED' | 'FINDING_RESOLVED' | 'FINDING_REOPENED' | 'OTHER';

export interface AssetChange {
  /** Unique id of this event, for de-duplication */
  eventId: string;
  /** The job this event belongs to */
  requestId: string;
  /** When the producer made the event (ms since epoch) */
  producedAt: number;
  /** The stage and version that produced it */
  producer: Producer;
  /** Deterministic: sha256 over asset, change kind, subject and the observation */
  changeId: string;
  assetId: string;
  kind: ChangeKind;
  /** What changed, e.g. 127.0.0.1:6379/tcp or a finding fingerprint */
  subject: string;
  before: null | string;
  after: null | string;
  observedAt: number;
}

export interface ProbedPorts {
  /** The hosts probed: addresses, or names where the report gives no address */
  hosts: string[];
  /** Lower-case: tcp, udp, sctp */
  protocol: string;
  /** Ports and ranges as nmap writes them, e.g. 22,80,8000-8100 */
  ports: string;
}

export interface OpenPort {
  host: string;
  protocol: string;
  port: number;
  /** Rules the scan ran on this port to a result (open-port, check ids); a trailing * stands for every rule id with that prefix */
  rules: string[];
}

export interface ScanCoverage {
  probed: ProbedPorts[];
  open: OpenPort[];
}

export interface ScanResult {
  /** Unique id of this event, for de-duplication */
  eventId: string;
  /** The job this event belongs to */
  requestId: string;
  /** When the producer made the event (ms since epoch) */
  producedAt: number;
  /** The stage and version that produced it */
  producer: Producer;
  scanId: string;
  /** scanAssetKey(raw): the asset the findings are stored under */
  assetKey: string;
  /** The scanner that ran, as the findings name it */
  scanner: string;
  /** When the scan finished (raw finishedAt): findings last seen before it and not reported resolve */
  finishedAt: number;
  /** The scan ran to the end and its output was not cut */
  complete: boolean;
  /** Distinct findings (fingerprints) the scan reported */
  findingCount: number;
  /** A split report's part (0-based); 0 for a whole report */
  part: number;
  /** How many parts the report was split into; the scan resolves once every part is summarised */
  parts: number;
  /** What the scan looked at: it resolves only findings inside it. null: the whole asset and scanner, as before coverage existed (reports without a port notion, e.g. trivy's, cover their artifact whole; so do summaries from older producers) */
  coverage: null | ScanCoverage;
}

export type MonitorAction = 'ADD' | 'REMOVE';

export interface MonitorEvent {
  /** Unique id of this event, for de-duplication */
  eventId: string;
  /** The job this event belongs to */
  requestId: string;
  /** When the producer made the event (ms since epoch) */
  producedAt: number;
  /** The stage and version that produced it */
  producer: Producer;
  /** The canonical target; the key */
  monitorId: string;
  action: MonitorAction;
  /** A hostname, domain, address or CIDR */
  target: string;
  /** Rediscovery interval (ms); 0 for REMOVE */
  everyMs: number;
  /** Narrows the operator's scope; null: the operator's policy alone */
  scope: null | Scope;
  ports: null | string;
  profile: string;
  scanAfterDiscovery: boolean;
  organizationId: null | string;
  labels: Record<string, string>;
}

export interface Timer {
  /** Unique per key; scheduling an id again replaces it */
  id: string;
  /** When it is due */
  at: number;
  scheduledAt: number;
  /** The message to deliver: an input value in the Confluent wire format */
  value: Buffer;
}

export interface KeyedState {
  stage: string;
  /** The input key */
  key: string;
  /** The processor's state for the key, as JSON */
  state: null | string;
  timers: Timer[];
  updatedAt: number;
}

/** The value type of each topic. */
export interface TopicValues {
  'discovery-requests': DiscoveryRequest;
  'host-scans': HostScan;
  'discovery-progress': DiscoveryProgress;
  'assets': Asset;
  'scan-requests': ScanRequest;
  'scan-jobs': ScanJob;
  'raw-findings': RawFinding;
  'normalized-findings': Finding;
  'job-status': JobStatus;
  'asset-changes': AssetChange;
  'scan-results': ScanResult;
  'monitors': MonitorEvent;
  'keyed-state': KeyedState;
}
