// A command's implementation is imported when the command runs, not when the program is built: `--version`,
// `--help` and a usage error load commander and the option definitions only, and each command loads what it uses.
export function lazy<A extends unknown[]>(
  load: () => Promise<(...args: A) => Promise<void> | void>,
): (...args: A) => Promise<void> {
  return async (...args: A) => {
    const action = await load();
    await action(...args);
  };
}
