// `asmvs discover`: a discovery request to Kafka; --follow prints its job status until it is done.
import { createApp } from '../../app/app.ts';
import { appConfig } from '../../app/app-config.ts';
import { hostOptionsOf, type HostOptions } from '../../app/host-options.ts';
import { discoveryRequest, parseScopeOption } from '../../app/requests.ts';
import { followAndReport } from '../follow-output.ts';

interface DiscoverOptions extends HostOptions {
  scope?: string;
  profile: string;
  ports?: string;
  follow?: boolean;
  timeout?: string;
  quiet?: boolean;
}

export async function discover(targets: string[], opts: DiscoverOptions): Promise<void> {
  const app = createApp(appConfig(['kafka', 'registry']));
  try {
    const hosts = hostOptionsOf(opts);
    const request = discoveryRequest(targets, {
      scope: parseScopeOption(opts.scope),
      profile: opts.profile,
      ports: opts.ports ?? null,
      ping: hosts.ping && !hosts.pingPorts ? null : { enabled: hosts.ping, ports: hosts.pingPorts ?? [] },
      limits: hosts.limits,
    });
    const submitted = await app.submit(request, { follow: opts.follow === true });
    process.stdout.write(`request ${submitted.requestId}\n${submitted.traceId ? `trace ${submitted.traceId}\n` : ''}`);
    if (opts.follow) await followAndReport(submitted, opts);
  } finally {
    await app.close();
  }
}
