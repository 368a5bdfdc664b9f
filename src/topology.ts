// The pipeline as a value (DESIGN.md §1): every stage, what it reads and writes, declared in one place and
// printable (`asmvs describe`). The processors live in src/processors/, one file per stage; they register against
// these declarations, and the runners check that a processor matches its stage.
import { AsmvsError } from './errors.ts';
import type { AnyProcessor } from './processor.ts';
import type { SchemaTopic } from './schemas/registry-files.ts';
import { dlqOf } from './topics.ts';

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

export const STAGES = [
  {
    name: 'asm_scheduler',
    input: 'monitors',
    outputs: ['discovery-requests'],
    pure: false,
    keyed: true,
    does: 'keeps a durable timer per monitored target; when due, produces its discovery request (missed rounds fire once)',
  },
  {
    name: 'asm_discovery',
    input: 'discovery-requests',
    outputs: ['assets', 'job-status'],
    pure: false,
    keyed: false,
    does: 'DNS, subdomains, reverse DNS, CIDR expansion, port scan, service identification, in scope',
  },
  {
    name: 'asm_exposure',
    input: 'assets',
    outputs: ['scan-requests', 'job-status', 'asset-changes'],
    pure: false,
    keyed: true,
    does: 'exposure signals, tags and score; the scan policy; scheduled rescans; what changed since the asset was last seen',
  },
  {
    name: 'vs_scan_trigger',
    input: 'scan-requests',
    outputs: ['scan-jobs', 'job-status'],
    pure: false,
    keyed: false,
    does: 'starts scans on the built-in or platform engine',
  },
  {
    name: 'vs_result_fetcher',
    input: 'scan-jobs',
    outputs: ['raw-findings', 'job-status'],
    pure: false,
    keyed: false,
    does: "waits for each scan and emits the scanner's output verbatim",
  },
  {
    name: 'vs_normalization',
    input: 'raw-findings',
    outputs: ['normalized-findings', 'scan-results'],
    pure: true,
    keyed: false,
    does: 'detects the format, parses, maps, fingerprints, de-duplicates',
  },
  {
    name: 'findings_sink',
    input: 'normalized-findings',
    outputs: ['asset-changes'],
    pure: false,
    keyed: false,
    does: 'upserts findings into PostgreSQL (idempotent); reports opened and reopened findings',
  },
  {
    name: 'findings_resolver',
    input: 'scan-results',
    outputs: ['asset-changes'],
    pure: false,
    keyed: true,
    does: "once PostgreSQL holds all of a complete scan's findings, resolves those the scan no longer reports",
  },
] as const satisfies readonly StageSpec[];

export type StageName = (typeof STAGES)[number]['name'];

export const STAGE_NAMES: readonly StageName[] = STAGES.map((s) => s.name);

/** The declaration of a stage, or CONFIG_INVALID naming the known stages. */
export function stageSpec(name: string): StageSpec {
  const spec = STAGES.find((s) => s.name === name);
  if (!spec) {
    throw new AsmvsError(
      'CONFIG_INVALID',
      `unknown stage ${JSON.stringify(name)}; the stages are: ${STAGE_NAMES.join(', ')}`,
      { details: { stage: name } },
    );
  }
  return spec;
}

/** A processor must read what its stage declares, write only declared topics, and be pure if the stage is. */
export function checkProcessor(processor: AnyProcessor): StageSpec {
  const spec = stageSpec(processor.name);
  const problems: string[] = [];
  if (processor.input !== spec.input) problems.push(`reads ${processor.input}, the topology says ${spec.input}`);
  const undeclared = processor.outputs.filter((t) => !(spec.outputs as readonly string[]).includes(t));
  if (undeclared.length > 0)
    problems.push(`writes ${undeclared.join(', ')}, which the topology does not declare (${spec.outputs.join(', ')})`);
  if ((processor.pure ?? false) !== spec.pure)
    problems.push(`pure is ${processor.pure ?? false}, the topology says ${spec.pure}`);
  if ((processor.keyed ?? false) !== spec.keyed)
    problems.push(`keyed is ${processor.keyed ?? false}, the topology says ${spec.keyed}`);
  if (problems.length > 0)
    throw new AsmvsError(
      'CONFIG_INVALID',
      `processor ${processor.name} does not match the topology:\n  ${problems.join('\n  ')}`,
    );
  return spec;
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
    const from = stages.filter((s) => (s.outputs as readonly string[]).includes(t)).map((s) => s.name);
    const to = stages.filter((s) => s.input === t).map((s) => s.name);
    lines.push(
      `  ${t}: ${from.length > 0 ? from.join(', ') : '(requests)'} → ${to.length > 0 ? to.join(', ') : '(platform, end)'}`,
    );
  }
  return lines.join('\n');
}
