// grype: container images or directories (dir:/path); native JSON report.
import { externalTool } from './external-tool.ts';
import { checkArtifactTarget } from './artifact-target.ts';

export const grypeScanner = externalTool({
  name: 'grype',
  binary: 'grype',
  format: 'grype-json',
  targetKind: 'artifact',
  prepare: async (input) => checkArtifactTarget(input.target),
  args: (target) => ['-o', 'json', '-q', target.startsWith('/') ? `dir:${target}` : target],
  install: 'https://github.com/anchore/grype#installation',
});
