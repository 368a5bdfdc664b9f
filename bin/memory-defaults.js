// Bounded memory for long-running commands (`asmvs run`, `asmvs replay`) without the user setting NODE_OPTIONS.
// With Node's default heap sizing V8 lets garbage grow to several times the live heap (40–80 MB for a stage)
// before it collects: draining a 1,000,000-event backlog peaked at 444 MB RSS. A 4 MB young generation and a
// 256 MB old-space limit keep it near 200 MB (bench/runtime/backlog-memory.ts, bench/stages/replay-memory.ts), and
// glibc's malloc keeps two arenas rather than one per thread (MALLOC_ARENA_MAX). V8 sizes its heap when the
// process starts, so the settings cannot be applied from inside: the process replaces itself (execve: same PID,
// same stdio, so signals and a container's PID 1 are unaffected) with the flags added. A setting the user made,
// in NODE_OPTIONS or on node's command line, wins; each flag is added only when absent.

/** The V8 flags asmvs applies, and the environment it sets, unless the user set them. */
export const MEMORY_FLAGS = ['--max-semi-space-size=4', '--max-old-space-size=256'];
export const MEMORY_ENV = { MALLOC_ARENA_MAX: '2' };

const flagName = (flag) => flag.split('=')[0].replaceAll('_', '-');

/**
 * What to add: the flags whose names appear neither in node's own arguments nor in NODE_OPTIONS, and the
 * variables not set. Pure, for tests.
 */
export function missingMemoryDefaults(execArgv, env) {
  const given = new Set([...execArgv, ...(env.NODE_OPTIONS ?? '').split(/\s+/)].filter(Boolean).map(flagName));
  return {
    flags: MEMORY_FLAGS.filter((f) => !given.has(flagName(f))),
    env: Object.fromEntries(Object.entries(MEMORY_ENV).filter(([name]) => !env[name])),
  };
}

/** Re-executes this process with the missing settings; returns when none is missing (or execve is unavailable). */
export function applyMemoryDefaults() {
  const missing = missingMemoryDefaults(process.execArgv, process.env);
  if (missing.flags.length === 0 && Object.keys(missing.env).length === 0) return;
  if (typeof process.execve !== 'function') return; // not POSIX: run with Node's defaults
  // The new process finds the flags in its execArgv and the variables set, so it goes on (no loop).
  const args = [...missing.flags, ...process.execArgv, ...process.argv.slice(1)];
  process.execve(process.execPath, [process.execPath, ...args], {
    ...process.env,
    ...missing.env,
  });
}
