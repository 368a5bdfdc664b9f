// How each stage of the topology is deployed: the facts the manifests and the compose file need beyond
// src/topology.ts. A stage the topology adds gets the defaults here, so regenerating deploys it (scripts/gen-deploy.ts).
import { loadConfig } from '../../src/config/load.ts';
import type { Stage } from '../../src/topology.ts';

/** Stages that run scanners: nmap and probes run in their container, so they get more memory. */
const SCANNING_STAGES: ReadonlySet<string> = new Set(['host_scan', 'vs_result_fetcher']);

/** A configuration without a database: the stages the topology then declares unavailable need DATABASE_URL. */
const WITHOUT_DATABASE = loadConfig({ KAFKA_BROKERS: 'kafka:9092', SCHEMA_REGISTRY_URL: 'http://registry:8080' });

/**
 * Memory, in MiB. A stage process peaks near 200 MB RSS draining a 1,000,000-event backlog with the heap settings
 * bin/memory-defaults.js applies (goal: under 256 MB; README "Benchmarks"); the limit leaves room above that goal. A
 * scanning stage also holds the nmap processes its scanners start.
 */
export const MEMORY_MIB = { request: 256, limit: 320, scanningRequest: 384, scanningLimit: 768 } as const;

export const METRICS_PORT = 9464;
/** SHUTDOWN_DEADLINE_MS (30 s) for the drain, plus the commit and disconnect. */
export const TERMINATION_GRACE_SECONDS = 45;

export interface StageDeployment {
  readonly stage: string;
  /** DNS-1123 name: asmvs-<stage with hyphens>. */
  readonly name: string;
  readonly database: boolean;
  readonly scanning: boolean;
  /** Pure stages run in Kafka transactions (EXACTLY_ONCE). */
  readonly exactlyOnce: boolean;
  readonly memory: { readonly request: number; readonly limit: number };
}

export function stageDeployment(spec: Pick<Stage, 'name' | 'pure' | 'unavailable'>): StageDeployment {
  const scanning = SCANNING_STAGES.has(spec.name);
  return {
    stage: spec.name,
    name: `asmvs-${spec.name.replaceAll('_', '-')}`,
    database: /DATABASE_URL/.test(spec.unavailable(WITHOUT_DATABASE) ?? ''),
    scanning,
    exactlyOnce: spec.pure,
    memory: scanning
      ? { request: MEMORY_MIB.scanningRequest, limit: MEMORY_MIB.scanningLimit }
      : { request: MEMORY_MIB.request, limit: MEMORY_MIB.limit },
  };
}
