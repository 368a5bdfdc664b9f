// osv-scanner: a directory or lockfile; native JSON. Exit code 1 means "vulnerabilities found", not a failure.
import { externalTool } from './external-tool.ts';
import { checkArtifactTarget } from './artifact-target.ts';

export const osvScanner = externalTool({
  name: 'osv-scanner',
  binary: 'osv-scanner',
  format: 'osv-json',
  targetKind: 'artifact',
  okExitCodes: [1],
  prepare: async (input) => checkArtifactTarget(input.target),
  args: (target) => ['--format', 'json', '--recursive', target],
  install: 'https://google.github.io/osv-scanner/installation/',
});
