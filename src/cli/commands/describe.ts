// asmvs describe: the stages and their edges, as declared in src/topology.ts.
import { Command } from 'commander';
import { lazy } from '../lazy.ts';

export function describeCommand(): Command {
  return new Command('describe').description('print the stages and the topics between them').action(
    lazy(async () => {
      const { describePipeline } = await import('../../app/describe.ts');
      return () => void process.stdout.write(`${describePipeline()}\n`);
    }),
  );
}
