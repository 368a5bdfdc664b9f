// asm_scheduler: monitors → discovery-requests. Each monitored target (a compacted key of `monitors`) keeps one
// durable timer, "round". When it fires, the target's discovery request is produced and the next round scheduled;
// rounds missed while nothing ran are skipped, so an outage costs one round on recovery, not a burst. The request id
// is derived from the monitor and the round's due time: a timer that fires twice (at-least-once) produces the same
// request, which downstream de-duplicates.
import { AsmvsError } from '../errors.ts';
import { derivedEventId, stableId } from '../ids.ts';
import { MONITOR_LABELS } from '../monitoring/monitor-labels.ts';
import { missedRounds, nextDue } from '../monitoring/next-due.ts';
import type { Context, Processor } from '../processor.ts';
import type { DiscoveryRequest, MonitorEvent } from '../schemas/types.gen.ts';
import { producerOf } from '../version.ts';

export interface SchedulerDeps {
  readonly now: () => number;
  /** The operator's floor (MONITOR_MIN_INTERVAL_MS): a monitor produced past the CLI with less is refused. */
  readonly minIntervalMs: number;
}

/** The state kept per monitor: its interval and the due time of the last round produced. */
interface MonitorState {
  readonly everyMs: number;
  readonly lastDueAt: number | null;
}

export const STAGE = 'asm_scheduler';
const ROUND = 'round';

type Ctx = Context<'discovery-requests', SchedulerDeps, 'monitors'>;

export const asmScheduler: Processor<'monitors', 'discovery-requests', SchedulerDeps, typeof STAGE> = {
  name: STAGE,
  input: 'monitors',
  outputs: ['discovery-requests'],
  keyed: true,
  async handle(monitor, ctx) {
    if (ctx.meta.timer) return round(monitor, ctx.meta.timer.at, ctx);
    if (monitor.action === 'REMOVE') {
      ctx.keyed.cancel(ROUND);
      ctx.keyed.setState(undefined);
      ctx.log.info({ monitor: monitor.monitorId }, 'monitor removed');
      return;
    }
    if (monitor.everyMs < ctx.deps.minIntervalMs)
      throw new AsmvsError(
        'MONITOR_INVALID',
        `monitor ${monitor.monitorId}: every ${monitor.everyMs} ms is below the operator's minimum of ${ctx.deps.minIntervalMs} ms`,
      );
    const previous = ctx.keyed.state as MonitorState | undefined;
    const lastDueAt = previous?.lastDueAt ?? null;
    // A new monitor runs its first round now. A known one (a changed interval, or its ADD delivered again after a
    // crash) keeps its grid: the next round is one interval after its last. If that is already past, the round is
    // overdue and fires at once, late, with that due time; round() then skips the windows it missed. (Moving it to
    // the next window after now would lose the round a crashed owner left pending.)
    const at = lastDueAt === null ? ctx.deps.now() : lastDueAt + monitor.everyMs;
    ctx.keyed.schedule(ROUND, at, monitor);
    ctx.keyed.setState({ everyMs: monitor.everyMs, lastDueAt } satisfies MonitorState);
    ctx.log.info({ monitor: monitor.monitorId, everyMs: monitor.everyMs, nextAt: at }, 'monitor scheduled');
  },
};

function round(monitor: MonitorEvent, dueAt: number, ctx: Ctx): void {
  const now = ctx.deps.now();
  ctx.emit('discovery-requests', roundRequestId(monitor.monitorId, dueAt), roundRequest(monitor, dueAt, now));
  const next = nextDue(dueAt, monitor.everyMs, now);
  ctx.keyed.schedule(ROUND, next, monitor);
  ctx.keyed.setState({ everyMs: monitor.everyMs, lastDueAt: dueAt } satisfies MonitorState);
  // A round on time is not logged (one line per monitor per interval; its request is in Kafka), a late one is.
  const missed = missedRounds(dueAt, monitor.everyMs, now);
  if (missed > 0)
    ctx.log.info(
      { monitor: monitor.monitorId, dueAt, latenessMs: now - dueAt, missed, nextAt: next },
      'monitor round (missed rounds skipped)',
    );
}

/** The round's request id: the same monitor and due time always give the same id. */
export function roundRequestId(monitorId: string, dueAt: number): string {
  return `monitor-${stableId('monitor-round', monitorId, dueAt).slice(0, 32)}`;
}

function roundRequest(monitor: MonitorEvent, dueAt: number, now: number): DiscoveryRequest {
  const requestId = roundRequestId(monitor.monitorId, dueAt);
  return {
    eventId: derivedEventId('monitor-round', monitor.monitorId, dueAt),
    requestId,
    producedAt: now,
    producer: producerOf(STAGE),
    targets: [monitor.target],
    scope: monitor.scope,
    ports: monitor.ports,
    profile: monitor.profile,
    enumerateSubdomains: true,
    reverseDns: true,
    engine: 'BUILTIN',
    scanAfterDiscovery: monitor.scanAfterDiscovery,
    organizationId: monitor.organizationId,
    ping: null,
    limits: null,
    labels: {
      ...monitor.labels,
      [MONITOR_LABELS.monitor]: monitor.monitorId,
      [MONITOR_LABELS.everyMs]: String(monitor.everyMs),
      [MONITOR_LABELS.roundAt]: String(dueAt),
    },
  };
}
