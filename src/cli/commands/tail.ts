// asmvs tail <topic> [--from-beginning] [--max N]: decoded events as JSON lines.
import { Command } from 'commander';
import { loadConfig } from '../../config/load.ts';
import { AsmvsError } from '../../errors.ts';
import { readTopic } from '../../runtime/kafka/read-topic.ts';
import { SCHEMA_TOPICS, type SchemaTopic } from '../../schemas/registry-files.ts';
import { toJsonLine } from '../json-line.ts';

export function tailCommand(): Command {
  return new Command('tail')
    .description('print the decoded events of a topic as JSON lines')
    .argument('<topic>', `one of: ${SCHEMA_TOPICS.join(', ')}`)
    .option('--from-beginning', 'start at the earliest retained event instead of now')
    .option('--max <n>', 'stop after this many events')
    .action(async (topic: string, opts: { fromBeginning?: boolean; max?: string }) => {
      if (!(SCHEMA_TOPICS as readonly string[]).includes(topic))
        throw new AsmvsError(
          'USAGE',
          `unknown topic ${JSON.stringify(topic)}; the topics are: ${SCHEMA_TOPICS.join(', ')}`,
        );
      const max = opts.max === undefined ? Infinity : Number(opts.max);
      if (!(max >= 1) || !Number.isInteger(max === Infinity ? 1 : max))
        throw new AsmvsError('USAGE', `--max must be a whole number of at least 1, got ${JSON.stringify(opts.max)}`);
      const config = loadConfig();
      const controller = new AbortController();
      process.once('SIGINT', () => controller.abort());
      let printed = 0;
      await readTopic(
        config,
        topic as SchemaTopic,
        { from: opts.fromBeginning ? 'earliest' : 'latest', signal: controller.signal },
        (r) => {
          const line =
            r.value !== undefined
              ? { partition: r.partition, offset: r.offset, key: r.key, value: r.value }
              : {
                  partition: r.partition,
                  offset: r.offset,
                  key: r.key,
                  error: { code: r.error?.code, message: r.error?.message },
                };
          process.stdout.write(`${toJsonLine(line)}\n`);
          printed += 1;
          return printed >= max ? 'stop' : undefined;
        },
      );
    });
}
