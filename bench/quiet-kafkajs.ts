// Imported first by the benchmarks that use Kafka. kafkajs 2.2.4 scheduled its request queue at
// `throttledUntil - Date.now()` (src/network/requestQueue/index.js), negative once that time has passed; Node 24
// clamps the delay to 1 ms and prints a TimeoutNegativeWarning each time (tulios/kafkajs#1751). The kafkajs patch
// now passes that timer 1 ms itself; should another kafkajs timer do the same, exactly that warning is dropped
// here, as bin/asmvs.js and the test scripts do with --disable-warning=TimeoutNegativeWarning; every other warning
// is still printed.
const emitWarning = process.emitWarning.bind(process) as (...args: unknown[]) => void;

process.emitWarning = ((...args: unknown[]) => {
  const [warning, typeOrOptions] = args;
  const type =
    typeof typeOrOptions === 'string'
      ? typeOrOptions
      : ((typeOrOptions as { type?: string } | undefined)?.type ?? (warning instanceof Error ? warning.name : ''));
  if (type === 'TimeoutNegativeWarning') return;
  emitWarning(...args);
}) as typeof process.emitWarning;
