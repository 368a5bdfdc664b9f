// Issue 13: every door refuses the catalogue of hostile inputs (test/helpers/hostile-inputs.ts) with exit
// 2 and its code, before anything is sent. The commands run in-process with every client pointed at spies on
// loopback (Kafka, registry, platform API, PostgreSQL, DNS); `--follow` is given, so a check placed after the read
// of job-status's end would show up as a Kafka connection. The one-shot scan runs through oneShotScan with spy I/O
// (its command passes the real sockets, which a refusal must never reach).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { CommanderError } from 'commander';
import { oneShotScan } from '../../src/app/one-shot-scan.ts';
import { discoveryRequest, parseScopeOption } from '../../src/app/requests.ts';
import { submitRequest } from '../../src/app/submit-request.ts';
import { exitCodeOf } from '../../src/cli/exit.ts';
import { loadConfig } from '../../src/config/load.ts';
import { isAsmvsError } from '../../src/errors.ts';
import { DOOR_PROBES, expectedAt, type Door, type Probe } from '../helpers/hostile-inputs.ts';
import { spyIo } from '../helpers/spy-io.ts';
import { silent } from '../helpers/runtime-settings.ts';
import { runCommand } from '../helpers/run-command.ts';
import { spyEndpoints, type SpyEndpoints } from '../helpers/spy-endpoints.ts';

let spies: SpyEndpoints;
before(async () => {
  spies = await spyEndpoints();
});
after(() => spies.close());

const targetsOf = (probe: Probe): string[] => (typeof probe.target === 'string' ? [probe.target] : [...probe.target]);
const shown = (probe: Probe) => JSON.stringify(probe).slice(0, 120);

function argsFor(door: Door, probe: Probe): string[] {
  const options = [
    ...(probe.ports !== undefined ? [`--ports=${probe.ports}`] : []),
    ...(probe.scope !== undefined ? [`--scope=${probe.scope}`] : []),
    ...(probe.profile !== undefined ? [`--profile=${probe.profile}`] : []),
  ];
  const targets = ['--', ...targetsOf(probe)];
  if (door === 'scan --submit') return ['scan', '--submit', '--follow', ...options, ...targets];
  if (door === 'scan --submit --engine platform')
    return ['scan', '--submit', '--follow', '--engine', 'platform', ...options, ...targets];
  if (door === 'discover') return ['discover', '--follow', ...options, ...targets];
  if (door === 'monitor add') return ['monitor', 'add', '--every', '24h', ...options, ...targets];
  throw new Error(`${door} is not a command`);
}

/** The refusal as the process would end: exit 2, the expected code (commander's own for a bad --profile choice). */
function checkRefusal(door: Door, probe: Probe, error: unknown, problems: string[]): void {
  if (error === undefined) return void problems.push(`${shown(probe)}: accepted`);
  const exit = exitCodeOf(error);
  if (exit !== 2) problems.push(`${shown(probe)}: exit ${exit} (${String(error).slice(0, 200)})`);
  if (error instanceof CommanderError && probe.profile !== undefined) return;
  const expected = expectedAt(door, probe);
  if (!isAsmvsError(error) || error.code !== expected)
    problems.push(`${shown(probe)}: ${isAsmvsError(error) ? error.code : String(error)} instead of ${expected}`);
}

function checkNothingSent(probe: Probe, problems: string[], more: string[] = []): void {
  const seen = [...spies.seen(), ...more];
  if (seen.length > 0) problems.push(`${shown(probe)}: sent ${seen.join('; ')}`);
  spies.tcp.length = 0;
  spies.http.length = 0;
  spies.dns.length = 0;
}

for (const door of ['scan --submit', 'scan --submit --engine platform', 'discover', 'monitor add'] as const) {
  test(`${door}: ${DOOR_PROBES[door].length} hostile inputs exit 2 with their code; nothing reaches Kafka, the registry, the API or DNS`, async () => {
    const problems: string[] = [];
    for (const probe of DOOR_PROBES[door]) {
      // A door that sends is not awaited further (its client would retry for minutes): the contact is the failure.
      const result = await Promise.race([
        runCommand(argsFor(door, probe), { ...spies.env, ...probe.settings }),
        spies.contact().then(() => null),
      ]);
      if (result) checkRefusal(door, probe, result.error, problems);
      checkNothingSent(probe, problems);
    }
    assert.deepEqual(problems, []);
  });
}

test(`scan (one-shot): ${DOOR_PROBES['scan (one-shot)'].length} hostile inputs exit 2 with their code; no connect, process or DNS query`, async () => {
  const problems: string[] = [];
  for (const probe of DOOR_PROBES['scan (one-shot)']) {
    const io = spyIo();
    // A scan that gets as far as a socket is stopped there: the attempt is the failure, not what follows.
    const stop = new AbortController();
    const config = loadConfig({ ...spies.env, ...probe.settings });
    const error = await oneShotScan(config, targetsOf(probe)[0] ?? '', {
      profile: probe.profile ?? 'default',
      ...(probe.ports !== undefined ? { ports: probe.ports } : {}),
      logger: silent,
      signal: stop.signal,
      io: {
        connect: (o) => (stop.abort(), io.connect(o)),
        probeConnect: (address, port, done) => (stop.abort(), io.probeConnect(address, port, done)),
        spawn: (command, args, options) => (stop.abort(), io.spawn(command, args, options)),
      },
    }).then(
      () => undefined,
      (e: unknown) => e,
    );
    checkRefusal('scan (one-shot)', probe, error, problems);
    checkNothingSent(probe, problems, io.calls);
  }
  assert.deepEqual(problems, []);
});

test(`submitRequest: ${DOOR_PROBES['submitRequest (what is produced)'].length} hostile requests are refused before anything is produced`, async () => {
  const problems: string[] = [];
  for (const probe of DOOR_PROBES['submitRequest (what is produced)']) {
    const config = loadConfig({ ...spies.env, ...probe.settings });
    const request = discoveryRequest(targetsOf(probe), {
      scope: parseScopeOption(probe.scope),
      profile: probe.profile ?? 'default',
      ports: probe.ports ?? null,
    });
    const error = await submitRequest(config, 'discovery-requests', request.requestId, request).then(
      () => undefined,
      (e: unknown) => e,
    );
    checkRefusal('submitRequest (what is produced)', probe, error, problems);
    checkNothingSent(probe, problems);
  }
  assert.deepEqual(problems, []);
});
