// trivy: container images (image:tag or image@sha256:…) or a filesystem path; native JSON report.
import { externalTool } from './external-tool.ts';
import { checkArtifactTarget } from './artifact-target.ts';

export const trivyScanner = externalTool({
  name: 'trivy',
  binary: 'trivy',
  format: 'trivy-json',
  targetKind: 'artifact',
  prepare: async (input) => checkArtifactTarget(input.target),
  args: (target) =>
    target.startsWith('/') || target.startsWith('.')
      ? ['fs', '--format', 'json', '--quiet', target]
      : ['image', '--format', 'json', '--quiet', target],
  install: 'https://trivy.dev/latest/getting-started/installation/',
});
