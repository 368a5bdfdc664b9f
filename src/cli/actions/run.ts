// `asmvs run`: the stages on Kafka until SIGTERM/SIGINT.
import { createApp } from '../../app/app.ts';
import { appConfig } from '../../app/app-config.ts';
import { AsmvsError } from '../../app/errors.ts';

export async function run(
  stages: string[],
  opts: { concurrency?: string; group?: string; instance?: string },
): Promise<void> {
  let concurrency: number | undefined;
  if (opts.concurrency !== undefined) {
    concurrency = Number(opts.concurrency);
    if (!Number.isInteger(concurrency) || concurrency < 1)
      throw new AsmvsError(
        'USAGE',
        `--concurrency must be a whole number of at least 1, got ${JSON.stringify(opts.concurrency)}`,
      );
  }
  const app = createApp(appConfig(['kafka', 'registry']));
  await app.run(stages, { concurrency, groupId: opts.group, instanceId: opts.instance });
}
