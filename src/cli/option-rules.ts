// Options that mean nothing without another are refused, with the option named, rather than silently ignored:
// `needs(command, { follow: 'submit' })` refuses `--follow` given without `--submit`. Checked before the action runs,
// so nothing is loaded or sent.
import type { Command } from 'commander';

/** An option's flag as the user types it (`--fail-on`), from its attribute name (`failOn`). */
function flagOf(command: Command, key: string): string {
  const option = command.options.find((o) => o.attributeName() === key);
  return option?.long ?? `--${key}`;
}

function given(command: Command, key: string): boolean {
  const source = command.getOptionValueSource(key);
  return source === 'cli' || source === 'env';
}

export function needs(command: Command, rules: Readonly<Record<string, string>>): Command {
  return command.hook('preAction', (_command, action) => {
    for (const [key, required] of Object.entries(rules)) {
      if (given(action, key) && !given(action, required))
        action.error(`error: ${flagOf(action, key)} needs ${flagOf(action, required)}`, {
          exitCode: 2,
          code: 'asmvs.needs',
        });
    }
  });
}
