// Artifact targets (container image references, directories, lockfiles) are not network addresses, but they end up
// in an argument array: refuse anything an option parser or a shell would care about.
import { AsmvsError } from '../../errors.ts';

const ARTIFACT = /^[A-Za-z0-9_./:@+-]{1,1024}$/;

export function checkArtifactTarget(target: string): string {
  if (target.length === 0) throw new AsmvsError('TARGET_INVALID', 'invalid target "": is empty');
  if (target.startsWith('-'))
    throw new AsmvsError(
      'TARGET_INVALID',
      `invalid target ${JSON.stringify(target.slice(0, 60))}: must not begin with "-" (it would be read as an option)`,
    );
  if (!ARTIFACT.test(target) || target.includes('..')) {
    throw new AsmvsError(
      'TARGET_INVALID',
      `invalid target ${JSON.stringify(target.slice(0, 60))}: an image reference or path may contain only letters, digits and _ . / : @ + - (no "..")`,
    );
  }
  return target;
}
