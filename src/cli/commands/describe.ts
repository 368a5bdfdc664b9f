// asmvs describe: the stages and their edges, as declared in src/topology.ts.
import { Command } from 'commander';
import { describeTopology } from '../../topology.ts';

export function describeCommand(): Command {
  return new Command('describe').description('print the stages and the topics between them').action(() => {
    process.stdout.write(`${describeTopology()}\n`);
  });
}
