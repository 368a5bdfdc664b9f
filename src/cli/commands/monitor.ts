// asmvs monitor add <target> --every <duration> … | list [--json] | remove <target>: monitored targets, stored as
// events in the compacted `monitors` topic (asm_scheduler turns each into a discovery request per round).
import { Command, Option } from 'commander';
import { activeMonitors, monitorAddition, monitorIdOf, monitorRemoval } from '../../app/monitors.ts';
import { parseScopeOption } from '../../app/requests.ts';
import { loadConfig } from '../../config/load.ts';
import { formatDuration } from '../../durations.ts';
import { PROFILES } from '../../engines/profiles.ts';
import { AsmvsError } from '../../errors.ts';
import { publishEvent } from '../../runtime/kafka/publish.ts';
import type { MonitorEvent, Scope } from '../../schemas/types.gen.ts';
import { escapeForTerminal } from '../escape.ts';
import { renderTable } from '../table.ts';

const READ_TIMEOUT_MS = 60_000;

interface AddOptions {
  every: string;
  scope?: string;
  profile: string;
  ports?: string;
  scan: boolean;
  label?: string[];
  json?: boolean;
}

/** The scope as --scope takes it (a,b,!c), or "-" for the operator's alone. */
function scopeText(scope: Scope | null): string {
  if (!scope) return '-';
  return [...scope.allow, ...scope.deny.map((d) => `!${d}`)].join(',') || '-';
}

function portsText(m: MonitorEvent): string {
  return m.ports ?? `profile ${m.profile}`;
}

function monitorJson(m: MonitorEvent): string {
  return JSON.stringify({
    monitorId: m.monitorId,
    target: m.target,
    everyMs: m.everyMs,
    every: formatDuration(m.everyMs),
    scope: m.scope,
    ports: m.ports,
    profile: m.profile,
    scanAfterDiscovery: m.scanAfterDiscovery,
    organizationId: m.organizationId,
    labels: m.labels,
    addedAt: new Date(m.producedAt).toISOString(),
  });
}

function describeMonitor(m: MonitorEvent): string {
  const labels = Object.entries(m.labels).map(([k, v]) => `${k}=${v}`);
  return escapeForTerminal(
    [
      `every ${formatDuration(m.everyMs)}`,
      `scope ${scopeText(m.scope)}`,
      `ports ${portsText(m)}`,
      m.scanAfterDiscovery ? 'scan what it finds' : 'discovery only',
      ...(labels.length > 0 ? [`labels ${labels.join(',')}`] : []),
    ].join(', '),
  );
}

function addCommand(): Command {
  return new Command('add')
    .description('monitor a target: rediscover it (and scan what it finds) at a fixed interval')
    .argument('<target>', 'a hostname, domain, address or CIDR')
    .requiredOption('--every <duration>', 'how often, e.g. 24h, 7d, 1h30m (at least MONITOR_MIN_INTERVAL_MS)')
    .option('--scope <list>', 'narrow the scope: comma-separated CIDRs/domains, !item to deny')
    .addOption(new Option('--profile <profile>', 'which ports to look at').choices(PROFILES).default('default'))
    .option('--ports <spec>', 'ports instead of the profile')
    .option('--no-scan', 'discover only: do not scan what each round finds')
    .option(
      '--label <key=value>',
      'a label every round carries (repeatable)',
      (v: string, all: string[] | undefined) => [...(all ?? []), v],
    )
    .option('--json', 'print the stored monitor as JSON')
    .action(async (target: string, opts: AddOptions) => {
      const config = loadConfig();
      const event = monitorAddition(
        target,
        {
          every: opts.every,
          scope: parseScopeOption(opts.scope),
          ports: opts.ports ?? null,
          profile: opts.profile,
          scanAfterDiscovery: opts.scan,
          labels: opts.label ?? [],
        },
        { operatorScope: config.scope, minIntervalMs: config.monitoring.minIntervalMs, now: Date.now() },
      );
      await publishEvent(config, 'monitors', event.monitorId, event);
      if (opts.json) process.stdout.write(`${monitorJson(event)}\n`);
      else process.stdout.write(`monitoring ${event.target}: ${describeMonitor(event)}\n`);
    });
}

function listCommand(): Command {
  return new Command('list')
    .description('the monitored targets (the monitors topic read to its current end)')
    .option('--json', 'one JSON object per monitor and line')
    .action(async (opts: { json?: boolean }) => {
      const monitors = (await activeMonitors(loadConfig(), AbortSignal.timeout(READ_TIMEOUT_MS))).list();
      if (opts.json) {
        for (const m of monitors) process.stdout.write(`${monitorJson(m)}\n`);
        return;
      }
      if (monitors.length === 0) return void process.stdout.write('no monitors\n');
      process.stdout.write(
        renderTable(
          ['target', 'every', 'scope', 'ports', 'added at'],
          monitors.map((m) => [
            m.target,
            formatDuration(m.everyMs),
            scopeText(m.scope),
            portsText(m),
            new Date(m.producedAt).toISOString(),
          ]),
        ),
      );
    });
}

function removeCommand(): Command {
  return new Command('remove')
    .description('stop monitoring a target')
    .argument('<target>', 'the target as added (any spelling of it)')
    .action(async (target: string) => {
      const config = loadConfig();
      const monitorId = monitorIdOf(target);
      const active = (await activeMonitors(config, AbortSignal.timeout(READ_TIMEOUT_MS))).get(monitorId);
      if (!active)
        throw new AsmvsError(
          'USAGE',
          `no active monitor for "${escapeForTerminal(monitorId)}"; \`asmvs monitor list\` shows the monitored targets`,
        );
      await publishEvent(config, 'monitors', monitorId, monitorRemoval(active, Date.now()));
      process.stdout.write(`removed monitor ${escapeForTerminal(monitorId)}\n`);
    });
}

export function monitorCommand(): Command {
  return new Command('monitor')
    .description('continuous monitoring: targets rediscovered at a fixed interval')
    .addCommand(addCommand())
    .addCommand(listCommand())
    .addCommand(removeCommand());
}
