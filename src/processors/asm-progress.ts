// asm_progress: discovery-progress → job-status. Counts one discovery request across every copy of host_scan:
// the chunks asm_discovery expanded and the hosts host_scan finished, each once (progress-count.ts). It reports
// the counts at most once a second while hosts finish (a `report` timer), and COMPLETED when the last chunk is in
// and every host it announced is done. Keyed by request id: the count lives in the key's state.
import { DAY_MS } from '../durations.ts';
import type { Context, Processor } from '../processor.ts';
import { applyProgress, doneCount, isComplete, newProgress, type ProgressState } from '../discovery/progress-count.ts';
import { hostsReport, type HostCounts } from './job-events.ts';

export interface ProgressDeps {
  readonly now: () => number;
  /** How often progress is reported while hosts finish. */
  readonly reportEveryMs: number;
}

export const STAGE = 'asm_progress';
const REPORT = 'report';
const FORGET = 'forget';
/** A finished request's count is kept this long (discovery-progress' retention), so late duplicates stay ignored. */
const REMEMBER_MS = 7 * DAY_MS;

type Ctx = Context<'job-status', ProgressDeps, 'discovery-progress'>;

export const asmProgress: Processor<'discovery-progress', 'job-status', ProgressDeps, typeof STAGE> = {
  name: STAGE,
  input: 'discovery-progress',
  outputs: ['job-status'],
  keyed: true,
  async handle(event, ctx) {
    const timer = ctx.meta.timer;
    if (timer?.id === FORGET) return ctx.keyed.setState(undefined);
    const state = (ctx.keyed.state as ProgressState | undefined) ?? newProgress(ctx.deps.now());
    if (timer?.id === REPORT) {
      if (state.completedAt === null) report(event.requestId, state, false, ctx);
      return;
    }
    if (state.completedAt !== null) return; // a late duplicate of a finished request
    const { state: next, counted } = applyProgress(state, event);
    if (!counted) return;
    if (isComplete(next)) {
      const done = { ...next, completedAt: ctx.deps.now() };
      report(event.requestId, done, true, ctx);
      ctx.keyed.setState(done);
      ctx.keyed.cancel(REPORT);
      ctx.keyed.schedule(FORGET, ctx.deps.now() + REMEMBER_MS, event);
      return;
    }
    ctx.keyed.setState(next);
    if (!ctx.keyed.timers().some((t) => t.id === REPORT))
      ctx.keyed.schedule(REPORT, ctx.deps.now() + ctx.deps.reportEveryMs, event);
  },
};

function report(requestId: string, state: ProgressState, complete: boolean, ctx: Ctx): void {
  const done = doneCount(state);
  const c = state.counts;
  const total = state.final ? `${state.expanded}` : `${state.expanded}+`;
  const message =
    `${done}/${total} addresses: ${c.up} up, ${c.down} down` +
    `${c.failed > 0 ? `, ${c.failed} failed` : ''}, ${c.assets} assets, ${c.openPorts} open ports` +
    `${c.unresolved > 0 ? `, ${c.unresolved} names unresolved or out of scope` : ''}`;
  const counts: HostCounts = { addresses: state.expanded, done, ...c };
  ctx.emit(
    'job-status',
    requestId,
    hostsReport(requestId, { complete, total: state.final ? state.expanded : null, counts, message }, ctx.deps.now()),
  );
}
