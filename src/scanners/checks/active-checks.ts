// Checks that need traffic beyond identification. All read-only: log in and leave, or GET a path.
import { cleanField } from '../escape.ts';
import { agentFor, httpGet } from '../identify/http.ts';
import type { ProbeTarget } from '../identify/identified.ts';
import type { ServiceResult } from '../scanner.ts';
import { amqpAcceptsCredentials } from './amqp-default-credentials.ts';
import type { CheckId } from './catalog.ts';
import type { Check, CheckRun } from './check.ts';
import { isDirectoryListing, isGitHead } from './http-paths.ts';
import { makeCheck } from './make-check.ts';
import { mysqlAcceptsEmptyPassword } from './mysql-empty-root.ts';
import { natsAcceptsAnonymous } from './nats-connect.ts';
import type { CheckOutcome } from './passive-checks.ts';

type Probe = Omit<ProbeTarget, 'address' | 'port' | 'hostname'>;

export async function activeChecks(service: ServiceResult, probe: Probe): Promise<CheckOutcome> {
  const t: ProbeTarget = { ...probe, address: service.host, port: service.port, hostname: service.hostname };
  const checks: Check[] = [];
  const runs: CheckRun[] = [];
  const run = async (id: CheckId, body: () => Promise<{ evidence: string | null; url?: string }>) => {
    try {
      const { evidence, url } = await body();
      runs.push({ id, host: t.address, port: t.port, outcome: evidence === null ? 'pass' : 'fail', reason: null });
      if (evidence !== null) checks.push(makeCheck(id, service, evidence, url ?? null));
    } catch (error) {
      if (t.signal.aborted) throw error;
      runs.push({
        id,
        host: t.address,
        port: t.port,
        outcome: 'error',
        reason: (error instanceof Error ? cleanField(error.message, 200) : null) ?? 'failed',
      });
    }
  };
  if (service.service === 'nats' && service.attributes.auth_required !== 'true') {
    await run('nats-unauthenticated', async () => {
      const r = await natsAcceptsAnonymous(t);
      return {
        evidence: r.accepted
          ? 'INFO shows auth_required false; CONNECT without credentials then PING answered PONG'
          : null,
      };
    });
  }
  if (service.service === 'amqp') {
    await run('amqp-default-credentials', async () => ({
      evidence: (await amqpAcceptsCredentials(t, 'guest', 'guest'))
        ? 'PLAIN guest/guest answered Connection.Tune (authenticated); connection closed at once'
        : null,
    }));
  }
  if (service.service === 'mysql' && service.product !== null) {
    await run('mysql-empty-root-password', async () => ({
      evidence: (await mysqlAcceptsEmptyPassword(t, 'root'))
        ? 'root with an empty password answered OK; COM_QUIT sent at once'
        : null,
    }));
  }
  if (service.http) {
    const tls = service.service === 'https';
    const agent = agentFor(t, tls);
    try {
      await run('http-directory-listing', async () => {
        const r = await httpGet(t, agent, tls, '/');
        return {
          evidence: isDirectoryListing(r.status, r.body) ? `GET / answered ${r.status} with an index page` : null,
          url: r.url,
        };
      });
      await run('http-git-exposed', async () => {
        const r = await httpGet(t, agent, tls, '/.git/HEAD');
        return {
          evidence: isGitHead(r.status, r.body)
            ? `GET /.git/HEAD answered ${r.status}: ${r.body.subarray(0, 80).toString('latin1').trim()}`
            : null,
          url: r.url,
        };
      });
    } finally {
      await agent.close().catch(() => undefined);
    }
  }
  return { checks, runs };
}
