// nuclei: a network scanner, so its target is scope-checked and resolved like ours, and nuclei is handed the
// resolved address (its own resolver never sees a name). JSON lines output.
import { AsmvsError } from '../../errors.ts';
import { narrowPolicy } from '../scope/policy.ts';
import { scopeTarget } from '../scope/resolve.ts';
import { externalTool } from './external-tool.ts';

export const nucleiScanner = externalTool({
  name: 'nuclei',
  binary: 'nuclei',
  format: 'nuclei-jsonl',
  targetKind: 'network',
  prepare: async (input, ctx) => {
    const scoped = await scopeTarget(narrowPolicy(ctx.policy, input.scope), input.target, ctx.resolver, ctx.signal);
    const host = scoped.hosts[0];
    if (!host || scoped.hosts.length > 1)
      throw new AsmvsError('TARGET_INVALID', 'nuclei scans one host or URL at a time');
    const literal = host.family === 6 ? `[${host.address}]` : host.address;
    if (scoped.url) return `${scoped.url.protocol}//${literal}:${scoped.port ?? ''}${scoped.url.pathname}`;
    return literal;
  },
  args: (target) => ['-jsonl', '-silent', '-disable-update-check', '-no-interactsh', '-u', target],
  install: 'https://docs.projectdiscovery.io/tools/nuclei/install',
});
