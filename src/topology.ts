// The pipeline as a value (DESIGN.md §1): every stage binds its processor (which states the stage's name, input,
// outputs, and whether it is pure or keyed) to the factory that makes its dependencies for a configuration. This
// list is the only place stages are registered; `asmvs describe`, `asmvs run`, the one-shot scan, the topics and
// their dead-letter topics all derive from it. A factory's module is imported when its stage is wired, so a process
// loads the scanners, parsers and clients of the stages it runs and no others.
import type { Config } from './config/config.ts';
import { AsmvsError } from './errors.ts';
import type { AnyProcessor, Processor } from './processor.ts';
import { asmDiscovery } from './processors/asm-discovery.ts';
import { asmExposure } from './processors/asm-exposure.ts';
import { asmProgress } from './processors/asm-progress.ts';
import { hostScan } from './processors/host-scan.ts';
import { asmScheduler } from './processors/asm-scheduler.ts';
import { findingsResolver } from './processors/findings-resolver.ts';
import { findingsSink } from './processors/findings-sink.ts';
import { vsNormalization } from './processors/vs-normalization.ts';
import { vsResultFetcher } from './processors/vs-result-fetcher.ts';
import { vsScanTrigger } from './processors/vs-scan-trigger.ts';
import type { SchemaTopic } from './schemas/registry-files.ts';
import { dlqOf, topicSpecs, type TopicSpec } from './topics.ts';
import type { Wiring } from './wiring/wiring.ts';

/** What a stage is, as data (printable, comparable); derived from its processor. */
export interface StageSpec {
  readonly name: string;
  readonly input: SchemaTopic;
  readonly outputs: readonly SchemaTopic[];
  /** Output depends on input alone: may run exactly-once (EXACTLY_ONCE). */
  readonly pure: boolean;
  /** Keeps durable per-key timers and state (the keyed-state topic); never exactly-once. */
  readonly keyed: boolean;
  readonly does: string;
}

/** A stage of the topology: its declaration, its processor, and how to wire it. */
export interface Stage<Name extends string = string> extends StageSpec {
  readonly name: Name;
  readonly processor: AnyProcessor;
  /** The processor's dependencies for this wiring (shared clients come from the wiring); loads what they need. */
  deps(w: Wiring): Promise<unknown>;
  /** Why a configuration cannot run the stage (a missing setting), or undefined when it can. */
  unavailable(config: Config): string | undefined;
  /** Events handled at once per copy, unless the operator says otherwise (default STAGE_CONCURRENCY). */
  concurrency(config: Config): number;
}

function stage<In extends SchemaTopic, Out extends SchemaTopic, Deps, Name extends string>(binding: {
  readonly processor: Processor<In, Out, Deps, Name>;
  readonly deps: (w: Wiring) => Promise<Deps>;
  readonly does: string;
  readonly unavailable?: (config: Config) => string | undefined;
  readonly concurrency?: (config: Config) => number;
}): Stage<Name> {
  const { processor } = binding;
  return Object.freeze({
    name: processor.name,
    input: processor.input,
    outputs: processor.outputs,
    pure: processor.pure ?? false,
    keyed: processor.keyed ?? false,
    does: binding.does,
    // The one widening of a typed processor into what the runners hold (handle's parameters are bivariant).
    processor: processor as unknown as AnyProcessor,
    deps: binding.deps,
    unavailable: binding.unavailable ?? (() => undefined),
    concurrency: binding.concurrency ?? ((config: Config) => config.runtime.concurrency),
  });
}

const needsDatabase = (config: Config) => (config.database ? undefined : 'it needs DATABASE_URL');

export const STAGES = [
  stage({
    processor: asmScheduler,
    deps: async (w) => (await import('./wiring/scheduler-deps.ts')).schedulerDeps(w),
    does: 'keeps a durable timer per monitored target; when due, produces its discovery request (missed rounds fire once)',
  }),
  stage({
    processor: asmDiscovery,
    deps: async (w) => (await import('./wiring/discovery-deps.ts')).discoveryDeps(w),
    does: 'expands a request into one host item per address (names, subdomains, CIDRs in bounded chunks), in scope',
  }),
  stage({
    processor: hostScan,
    deps: async (w) => (await import('./wiring/host-scan-deps.ts')).hostScanDeps(w),
    concurrency: (config) => config.hostScan.hosts,
    does: 'host discovery (TCP pings), port scan and service identification of one address; its asset',
  }),
  stage({
    processor: asmProgress,
    deps: async (w) => (await import('./wiring/progress-deps.ts')).progressDeps(w),
    does: "counts a discovery request's hosts once each; reports progress and COMPLETED when every host is done",
  }),
  stage({
    processor: asmExposure,
    deps: async (w) => (await import('./wiring/exposure-deps.ts')).exposureDeps(w),
    does: 'exposure signals, tags and score; the scan policy; scheduled rescans; what changed since the asset was last seen',
  }),
  stage({
    processor: vsScanTrigger,
    deps: async (w) => (await import('./wiring/scan-trigger-deps.ts')).scanTriggerDeps(w),
    does: 'starts scans on the built-in or platform engine',
  }),
  stage({
    processor: vsResultFetcher,
    deps: async (w) => (await import('./wiring/result-fetcher-deps.ts')).resultFetcherDeps(w),
    does: "waits for each scan and emits the scanner's output verbatim",
  }),
  stage({
    processor: vsNormalization,
    deps: async () => (await import('./wiring/normalization-deps.ts')).normalizationDeps(),
    does: 'detects the format, parses, maps, fingerprints, de-duplicates',
  }),
  stage({
    processor: findingsSink,
    deps: async (w) => (await w.database()).sink,
    unavailable: needsDatabase,
    does: 'upserts findings into PostgreSQL (idempotent); reports opened and reopened findings',
  }),
  stage({
    processor: findingsResolver,
    deps: async (w) => (await w.database()).resolver,
    unavailable: needsDatabase,
    does: "once PostgreSQL holds all of a complete scan's findings, resolves those the scan no longer reports",
  }),
] as const;

export type StageName = (typeof STAGES)[number]['name'];

export const STAGE_NAMES: readonly StageName[] = STAGES.map((s) => s.name);

/** The topics a stage consumes; each has a `<topic>.dlq`. */
export const INPUT_TOPICS: readonly SchemaTopic[] = [...new Set(STAGES.map((s) => s.input))];

/** The stage of that name, or CONFIG_INVALID naming the known stages. */
export function stageSpec(name: string): Stage {
  const found = STAGES.find((s) => s.name === name);
  if (!found) {
    throw new AsmvsError(
      'CONFIG_INVALID',
      `unknown stage ${JSON.stringify(name)}; the stages are: ${STAGE_NAMES.join(', ')}`,
      { details: { stage: name } },
    );
  }
  return found;
}

/**
 * The stage a processor is bound to. A processor that carries a stage's name but is not that stage's processor (a
 * copy with other outputs, a stale import) is refused: the runners run only what the topology declares.
 */
export function checkProcessor(processor: AnyProcessor): Stage {
  const bound = stageSpec(processor.name);
  if (bound.processor !== processor) {
    const problems: string[] = [];
    if (processor.input !== bound.input) problems.push(`reads ${processor.input}, the topology says ${bound.input}`);
    const outputs = [...processor.outputs].sort().join(', ');
    if (outputs !== [...bound.outputs].sort().join(', '))
      problems.push(`writes ${outputs}, the topology says ${bound.outputs.join(', ')}`);
    if ((processor.pure ?? false) !== bound.pure)
      problems.push(`pure is ${processor.pure ?? false}, the topology says ${bound.pure}`);
    if ((processor.keyed ?? false) !== bound.keyed)
      problems.push(`keyed is ${processor.keyed ?? false}, the topology says ${bound.keyed}`);
    throw new AsmvsError(
      'CONFIG_INVALID',
      `processor ${processor.name} is not the one the topology binds${problems.length > 0 ? `:\n  ${problems.join('\n  ')}` : ''}`,
    );
  }
  return bound;
}

/** The graph as text: one block per stage with its edges, then who reads each topic. */
export function describeTopology(stages: readonly StageSpec[] = STAGES): string {
  const lines: string[] = [];
  for (const s of stages) {
    lines.push(
      `${s.name}${s.pure ? '  (pure: exactly-once capable)' : ''}${s.keyed ? '  (durable per-key timers and state)' : ''}`,
    );
    lines.push(`  ${s.does}`);
    lines.push(`  reads   ${s.input}   (dead letters → ${dlqOf(s.input)})`);
    lines.push(`  writes  ${s.outputs.length > 0 ? s.outputs.join(', ') : '—'}`);
    lines.push('');
  }
  lines.push('edges (topic: producers → consumers)');
  const topics = [...new Set(stages.flatMap((s) => [s.input, ...s.outputs]))];
  for (const t of topics) {
    const from = stages.filter((s) => s.outputs.includes(t)).map((s) => s.name);
    const to = stages.filter((s) => s.input === t).map((s) => s.name);
    lines.push(
      `  ${t}: ${from.length > 0 ? from.join(', ') : '(requests)'} → ${to.length > 0 ? to.join(', ') : '(platform, end)'}`,
    );
  }
  return lines.join('\n');
}

/** Every topic of the pipeline with its policy, and a dead-letter topic for each stage's input. */
export function pipelineTopics(options: { rawFindingsRetentionMs: number }): TopicSpec[] {
  return topicSpecs(options, INPUT_TOPICS);
}
