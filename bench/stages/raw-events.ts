// Raw findings as the built-in scanners emit them: a small asmvs-checks/1 report with one check each, on distinct
// hosts, so every event normalizes to one distinct finding (and one scan summary).
import type { RawFinding } from '../../src/schemas/types.gen.ts';

export function checksRawEvent(i: number): RawFinding {
  const host = `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;
  const payload = JSON.stringify({
    scanner: { name: 'asmvs-checks', version: '0.1.0' },
    target: host,
    checks: [
      {
        id: 'redis-unauthenticated',
        title: 'Redis answers without authentication',
        severity: 'high',
        type: 'EXPOSURE',
        host,
        port: 6379,
        protocol: 'tcp',
        service: 'redis',
        evidence: 'PING answered +PONG',
        references: [],
      },
    ],
  });
  return rawEvent(`raw-${i}`, `scan-${i}`, `asset-${i % 10_000}`, host, payload);
}

/** The envelope the built-in scanners' results travel in: one complete, unsplit asmvs-checks report. */
export function rawEvent(eventId: string, scanId: string, assetId: string, host: string, payload: string): RawFinding {
  return {
    eventId,
    requestId: 'bench',
    producedAt: 0,
    producer: { stage: 'vs_result_fetcher', version: 'bench' },
    scanId,
    assetId,
    target: host,
    address: host,
    scanner: { name: 'asmvs-checks', version: '0.1.0' },
    format: 'asmvs-checks-json',
    payload: Buffer.from(payload),
    truncated: false,
    complete: true,
    part: 0,
    parts: 1,
    startedAt: 0,
    finishedAt: 1,
  };
}
