// A parser's draft → the platform Finding: fingerprint, deterministic event id, severity id, provenance, caps.
// Everything here is a function of the draft and the raw event, so a replay reproduces every field but producedAt.
import { hash } from 'node:crypto';
import type { Finding, RawFinding } from '../schemas/types.gen.ts';
import type { Draft } from './draft.ts';
import { fingerprint, sortedUnique } from './fingerprint.ts';
import { SEVERITY_ID } from './severity.ts';
import { sortCvss } from './cvss.ts';
import { NORMALIZER_STAGE } from './version.ts';

/** The raw event without its payload: what normalization needs to know about the scan. */
export type RawMeta = Omit<RawFinding, 'payload'>;

export interface RawProvenance {
  topic: string;
  partition: number;
  offset: number;
}

export interface FindingContext {
  raw: RawMeta;
  provenance: RawProvenance;
  normalizerVersion: string;
  producedAt: number;
  /** scanAssetKey(raw), computed once per report. */
  assetKey: string;
  /** eventIdPrefix(raw.eventId), computed once per report. */
  eventIdPrefix: string;
}

export function findingContext(
  raw: RawMeta,
  provenance: RawProvenance,
  normalizerVersion: string,
  producedAt: number,
): FindingContext {
  return {
    raw,
    provenance,
    normalizerVersion,
    producedAt,
    assetKey: scanAssetKey(raw),
    eventIdPrefix: eventIdPrefix(raw.eventId),
  };
}

const MAX_EVIDENCE = 4 * 1024;
/** OCSF status_id: 1 new, 2 in progress, 3 suppressed, 4 resolved, 99 other. */
const STATUS_ID: Readonly<Record<Finding['status'], number>> = {
  NEW: 1,
  OPEN: 2,
  SUPPRESSED: 3,
  RESOLVED: 4,
  NOT_AFFECTED: 99,
};
const MAX_TEXT = 32 * 1024;

/**
 * The asset a scan was about: the raw event's asset id, or for a report imported without one, a deterministic id
 * from its target. The sink resolves findings per (this key, scanner), so the stage must pass the same key to
 * completeScan.
 */
export function scanAssetKey(raw: Pick<RawMeta, 'assetId' | 'target'>): string {
  return raw.assetId ?? hash('sha256', JSON.stringify(['TARGET', raw.target]));
}

/** The raw event's half of its findings' event ids: 64 bits of a hash of the raw event id. */
export function eventIdPrefix(rawEventId: string): string {
  return hash('sha256', JSON.stringify(['finding-event', rawEventId])).slice(0, 16);
}

/**
 * Deterministic: the same raw event (each part of a split report is its own), finding and count give the same id.
 * A finding seen once (nearly all) needs no hash of its own: its fingerprint is one already, so the id is the raw
 * event's prefix and the fingerprint's first 64 bits (a collision needs both halves to collide). A repeated finding
 * (the count is part of the id, so a stream's correction differs from its first emission) hashes all three.
 */
export function findingEventId(prefix: string, rawEventId: string, fp: string, occurrences: number): string {
  if (occurrences === 1) return prefix + fp.slice(0, 16);
  return hash('sha256', JSON.stringify(['finding-event', rawEventId, fp, occurrences])).slice(0, 32);
}

export function findingFromDraft(d: Draft, ctx: FindingContext): Finding {
  const fp = fingerprint(d.family, d.ruleId, d.key, d.variant);
  const raw = ctx.raw;
  const a = d.asset ?? {};
  return {
    eventId: findingEventId(ctx.eventIdPrefix, raw.eventId, fp, 1),
    requestId: raw.requestId,
    producedAt: ctx.producedAt,
    producer: { stage: NORMALIZER_STAGE, version: ctx.normalizerVersion },
    fingerprint: fp,
    findingType: d.findingType,
    title: cap(d.title, 1024) ?? d.ruleId,
    description: cap(d.description, MAX_TEXT),
    severity: d.severity,
    severityId: SEVERITY_ID[d.severity],
    scannerSeverity: d.scannerSeverity ?? null,
    confidence: d.confidence ?? 'UNKNOWN',
    status: d.status ?? 'NEW',
    statusId: STATUS_ID[d.status ?? 'NEW'],
    ruleId: d.ruleId,
    cves: sortedUnique(d.cves ?? []),
    advisories: sortedUnique(d.advisories ?? []),
    cwes: sortedUnique(d.cwes ?? []),
    cvss: sortCvss(d.cvss ?? []),
    epss: d.epss ?? null,
    asset: {
      assetId: ctx.assetKey,
      hostname: a.hostname ?? null,
      hostnames: a.hostnames ?? (a.hostname ? [a.hostname] : []),
      ip: a.ip ?? null,
      port: a.port ?? null,
      protocol: a.protocol ?? null,
      service: a.service ?? null,
      product: a.product ?? null,
      version: a.version ?? null,
      url: a.url ?? null,
    },
    affectedPackage: d.affectedPackage
      ? {
          ...d.affectedPackage,
          licenses: sortedUnique(d.affectedPackage.licenses ?? []),
          fixStatus: d.affectedPackage.fixStatus ?? null,
        }
      : null,
    affectedCode: d.affectedCode ?? null,
    remediation: cap(d.remediation, MAX_TEXT),
    references: d.references && d.references.length > 0 ? sortedUnique(d.references.filter((r) => r !== '')) : [],
    evidence: cap(d.evidence, MAX_EVIDENCE),
    matchedBy: d.matchedBy ?? null,
    // the scan's own time, not the clock: replays keep first/last seen where the scan put them
    firstSeen: raw.finishedAt,
    lastSeen: raw.finishedAt,
    // the scanner that ran (the raw event's name) is what the sink resolves by; the report may only fill the version
    scanner: { name: raw.scanner.name || d.scanner.name, version: d.scanner.version ?? raw.scanner.version },
    normalizerVersion: ctx.normalizerVersion,
    provenance: {
      rawTopic: ctx.provenance.topic,
      partition: ctx.provenance.partition,
      offset: ctx.provenance.offset,
      scanId: raw.scanId,
      rawEventId: raw.eventId,
    },
    occurrences: 1,
  };
}

function cap(text: string | null | undefined, max: number): string | null {
  if (text === null || text === undefined) return null;
  const t = text.trim();
  if (t === '') return null;
  return t.length > max ? t.slice(0, max) + '…[truncated]' : t;
}
