// The only module that reads the environment. Validates every setting once and returns a frozen Config.
import { AsmvsError } from '../errors.ts';
import { settingsSchema, type SettingName } from './schema.ts';
import { toConfig, type Config } from './config.ts';

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const names = Object.keys(settingsSchema.shape) as SettingName[];
  // An empty variable counts as unset, as shells and compose files often export VAR= to mean "nothing".
  const input = Object.fromEntries(names.flatMap((n) => (env[n] === undefined || env[n] === '' ? [] : [[n, env[n]]])));
  const parsed = settingsSchema.safeParse(input);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => {
      const name = String(issue.path[0] ?? 'configuration');
      return `${name}: ${issue.message}`;
    });
    throw new AsmvsError('CONFIG_INVALID', `invalid configuration:\n  ${problems.join('\n  ')}`, {
      details: { variables: parsed.error.issues.map((i) => String(i.path[0])) },
    });
  }
  return toConfig(parsed.data);
}
