// asm_discovery: discovery-requests → assets (+ job-status). What the targets expose, always inside the scope;
// the engine (built-in scanners or the platform's legacy discovery API) is a dependency.
import type { Processor } from '../processor.ts';
import type { Asset, DiscoveryRequest } from '../schemas/types.gen.ts';
import { assetIdOf, derivedEventId } from '../ids.ts';
import { jobStatus } from './job-status.ts';
import { producerOf } from '../version.ts';

export type Observation = Pick<Asset, 'kind' | 'value' | 'hostnames' | 'addresses' | 'dnsRecords' | 'services'>;

export interface DiscoveryDeps {
  /** Yields what the request's targets expose; throws TARGET_* errors (no traffic) for what is out of scope. */
  discover(request: DiscoveryRequest, signal: AbortSignal): AsyncIterable<Observation>;
  readonly now: () => number;
}

export const STAGE = 'asm_discovery';

export const asmDiscovery: Processor<'discovery-requests', 'assets' | 'job-status', DiscoveryDeps, typeof STAGE> = {
  name: STAGE,
  input: 'discovery-requests',
  outputs: ['assets', 'job-status'],
  async handle(request, ctx) {
    const { requestId } = request;
    ctx.emit(
      'job-status',
      requestId,
      jobStatus(STAGE, requestId, 'RUNNING', { message: `discovering ${request.targets.join(', ')}` }),
    );
    let assets = 0;
    let services = 0;
    for await (const seen of ctx.deps.discover(request, ctx.signal)) {
      const observedAt = ctx.deps.now();
      const assetId = assetIdOf(seen.kind, seen.value);
      const asset: Asset = {
        eventId: derivedEventId(requestId, assetId),
        requestId,
        producedAt: observedAt,
        producer: producerOf(STAGE),
        assetId,
        ...seen,
        observedAt,
        discoveredBy: STAGE,
        scope: request.scope,
        scanAfterDiscovery: request.scanAfterDiscovery,
        organizationId: request.organizationId,
        labels: request.labels,
      };
      ctx.emit('assets', assetId, asset);
      assets += 1;
      services += seen.services.length;
    }
    ctx.emit(
      'job-status',
      requestId,
      jobStatus(STAGE, requestId, 'COMPLETED', {
        message: `${assets} assets, ${services} open services`,
        counts: { assets, services },
      }),
    );
  },
  // A request that ends in the DLQ (e.g. an out-of-scope target) is reported FAILED, so whoever follows it stops.
  onDeadLetter(request, error, ctx) {
    if (!request) return; // undecodable bytes: no request id to report to
    ctx.emit(
      'job-status',
      request.requestId,
      jobStatus(STAGE, request.requestId, 'FAILED', { message: error.message, errorCode: error.code }),
    );
  },
};
