// A discovery-progress record with every field at its zero value, for tests to override what they are about.
import type { DiscoveryProgress } from '../../src/schemas/types.gen.ts';

export function progressRecord(fields: Partial<DiscoveryProgress> = {}): DiscoveryProgress {
  return {
    eventId: 'e',
    requestId: 'r',
    producedAt: 0,
    producer: { stage: 't', version: '0' },
    kind: 'HOST_DONE',
    chunk: 0,
    firstIndex: 0,
    items: 0,
    final: false,
    unresolved: 0,
    index: 0,
    address: null,
    up: false,
    openPorts: 0,
    assets: 0,
    rttMs: null,
    errorCode: null,
    ...fields,
  };
}
