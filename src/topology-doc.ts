// docs/architecture.md's stage table, rendered from the topology (the same facts `asmvs describe` prints).
import { withSection } from './generated-doc.ts';
import { dlqOf } from './topics.ts';
import { STAGES, type StageSpec } from './topology.ts';

export function renderStageTable(stages: readonly StageSpec[] = STAGES): string {
  const rows = stages.map((s) => {
    const kind = [s.keyed ? 'keyed' : '', s.pure ? 'pure' : ''].filter(Boolean).join(', ') || '—';
    return `| \`${s.name}\` | \`${s.input}\` (→ \`${dlqOf(s.input)}\`) | ${s.outputs.map((o) => `\`${o}\``).join(', ')} | ${kind} | ${s.does} |`;
  });
  return ['| stage | reads | writes | kind | does |', '|---|---|---|---|---|', ...rows].join('\n');
}

export function withStageTable(doc: string): string {
  return withSection(doc, 'stage-table', renderStageTable());
}
