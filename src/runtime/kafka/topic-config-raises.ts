// What `asmvs topics create` changes on a topic that already exists. Existing topics are left as their operators set
// them, except for a floor: a config whose declared value is the least the pipeline needs. A topic made before
// raw-findings took 16 MiB keeps the broker's 1 MiB, and every scanner output above it would be dead-lettered as
// OUTPUT_TOO_LARGE; so a floor below its declared value is raised, and one above it is kept. Pure: the admin calls are
// in provision-topics.ts.

/** Configs whose declared value is a minimum: raised when lower, never lowered. */
export const FLOOR_CONFIGS: readonly string[] = ['max.message.bytes'];

export interface ConfigRaise {
  readonly name: string;
  readonly from: string;
  readonly to: string;
}

/** One described config entry, as kafkajs's describeConfigs gives it. */
export interface DescribedEntry {
  readonly configName: string;
  readonly configValue: string | null;
  readonly configSource: number;
  readonly isSensitive: boolean;
}

/** kafkajs's ConfigSource.TOPIC_CONFIG: a value set on the topic itself (not a broker's or the built-in default). */
const TOPIC_CONFIG = 1;

/** The floors of `declared` that `current` (the topic's effective values) holds below their declared value. */
export function raisesOf(
  declared: Readonly<Record<string, string>>,
  current: Readonly<Record<string, string>>,
): ConfigRaise[] {
  const raises: ConfigRaise[] = [];
  for (const name of FLOOR_CONFIGS) {
    const to = declared[name];
    if (to === undefined) continue;
    const from = current[name];
    // a value the broker did not give, or not a number, is not known to be enough: set the declared one
    const value = from === undefined ? Number.NaN : Number(from);
    if (!(value >= Number(to))) raises.push({ name, from: from ?? '', to });
  }
  return raises;
}

/**
 * The whole set of the topic's own configs to send with AlterConfigs, which replaces that set (kafkajs has no
 * incremental alter): every value set on the topic, kept, with the raises applied. A string saying why not when a
 * value set on the topic cannot be read back to be kept (a sensitive one is described without its value).
 */
export function alteredConfigs(
  described: readonly DescribedEntry[],
  raises: readonly ConfigRaise[],
): { name: string; value: string }[] | string {
  const raised = new Map(raises.map((r) => [r.name, r.to]));
  const entries: { name: string; value: string }[] = [];
  for (const e of described) {
    if (e.configSource !== TOPIC_CONFIG || raised.has(e.configName)) continue;
    if (e.isSensitive || e.configValue === null)
      return `its ${e.configName} is set on the topic and cannot be read back to be kept`;
    entries.push({ name: e.configName, value: e.configValue });
  }
  for (const [name, value] of raised) entries.push({ name, value });
  return entries;
}
