// The only module that reads the environment. Validates every setting once and returns a frozen Config.
import { AsmvsError } from '../errors.ts';
import { crossSettingProblems, settingsSchema, type SettingName } from './schema.ts';
import { toConfig, type Config } from './config.ts';

export interface LoadOptions {
  /** Settings the command cannot do without (KAFKA_BROKERS for a command that uses Kafka): reported with the rest. */
  readonly require?: readonly SettingName[];
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env, options: LoadOptions = {}): Config {
  const names = Object.keys(settingsSchema.shape) as SettingName[];
  // An empty variable counts as unset, as shells and compose files often export VAR= to mean "nothing".
  const input = Object.fromEntries(names.flatMap((n) => (env[n] === undefined || env[n] === '' ? [] : [[n, env[n]]])));
  const parsed = settingsSchema.safeParse(input);
  // Every malformed setting and every missing one the command needs, at once.
  const problems = parsed.success
    ? []
    : parsed.error.issues.map((issue) => ({ name: String(issue.path[0] ?? 'configuration'), problem: issue.message }));
  if (parsed.success) problems.push(...crossSettingProblems(parsed.data));
  for (const name of options.require ?? [])
    if (!(name in input)) problems.push({ name, problem: `required (${settingsSchema.shape[name].description})` });
  if (problems.length > 0 || !parsed.success) {
    throw new AsmvsError(
      'CONFIG_INVALID',
      `invalid configuration:\n  ${problems.map((p) => `${p.name}: ${p.problem}`).join('\n  ')}`,
      { details: { variables: problems.map((p) => p.name) } },
    );
  }
  return toConfig(parsed.data);
}
