// Types of memory-defaults.js for the TypeScript that imports it (its tests).
export declare const MEMORY_FLAGS: readonly string[];
export declare const MEMORY_ENV: Readonly<Record<string, string>>;
export declare function missingMemoryDefaults(
  execArgv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): { flags: string[]; env: Record<string, string> };
export declare function applyMemoryDefaults(): void;
