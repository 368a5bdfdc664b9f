// Test helpers: raw events around fixture reports, and the provenance of a pretend Kafka record.
import { readFileSync } from 'node:fs';
import type { RawFinding } from '../../src/schemas/types.gen.ts';

export const FIXTURES = new URL('../fixtures/reports/', import.meta.url);
export const PROVENANCE = { topic: 'raw-findings', partition: 3, offset: 42 };
export const NOW = 1_795_900_000_000;

export function fixture(name: string): Buffer {
  return readFileSync(new URL(name, FIXTURES));
}

export function rawOf(payload: Buffer | string, overrides: Partial<RawFinding> = {}): RawFinding {
  return {
    eventId: 'raw-event-1',
    requestId: 'request-1',
    producedAt: NOW,
    producer: { stage: 'vs_result_fetcher', version: 'test' },
    scanId: 'scan-1',
    assetId: 'asset-1',
    target: '127.0.0.1',
    address: '127.0.0.1',
    scanner: { name: '', version: null },
    format: '',
    payload: typeof payload === 'string' ? Buffer.from(payload) : payload,
    truncated: false,
    complete: true,
    part: 0,
    parts: 1,
    startedAt: NOW - 60_000,
    finishedAt: NOW,
    ...overrides,
  };
}
