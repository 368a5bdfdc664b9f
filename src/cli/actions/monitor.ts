// `asmvs monitor add|list|remove`: monitors printed for people or as JSON.
import { createApp } from '../../app/app.ts';
import { appConfig } from '../../app/app-config.ts';
import { formatDuration } from '../../app/durations.ts';
import { parseScopeOption } from '../../app/requests.ts';
import type { MonitorEvent, Scope } from '../../app/app.ts';
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

export async function add(target: string, opts: AddOptions): Promise<void> {
  const app = createApp(appConfig(['kafka', 'registry']));
  try {
    const event = await app.monitors.add(target, {
      every: opts.every,
      scope: parseScopeOption(opts.scope),
      ports: opts.ports ?? null,
      profile: opts.profile,
      scanAfterDiscovery: opts.scan,
      labels: opts.label ?? [],
    });
    if (opts.json) process.stdout.write(`${monitorJson(event)}\n`);
    else process.stdout.write(`monitoring ${escapeForTerminal(event.target)}: ${describeMonitor(event)}\n`);
  } finally {
    await app.close();
  }
}

export async function list(opts: { json?: boolean }): Promise<void> {
  const app = createApp(appConfig(['kafka', 'registry']));
  try {
    const monitors = await app.monitors.list(AbortSignal.timeout(READ_TIMEOUT_MS));
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
  } finally {
    await app.close();
  }
}

export async function remove(target: string): Promise<void> {
  const app = createApp(appConfig(['kafka', 'registry']));
  try {
    const removal = await app.monitors.remove(target, AbortSignal.timeout(READ_TIMEOUT_MS));
    process.stdout.write(`removed monitor ${escapeForTerminal(removal.monitorId)}\n`);
  } finally {
    await app.close();
  }
}
