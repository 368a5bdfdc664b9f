// A JSON array written one element at a time, laid out as JSON.stringify(array, null, 2) would: a million findings
// never become one string (V8 caps a string near 512 MiB; --json stopped working at ~930k findings).
export function* jsonArray<T>(items: Iterable<T>, map: (item: T) => unknown = (x) => x): Generator<string> {
  let first = true;
  for (const item of items) {
    yield `${first ? '[\n  ' : ',\n  '}${JSON.stringify(map(item), null, 2).replaceAll('\n', '\n  ')}`;
    first = false;
  }
  yield first ? '[]\n' : '\n]\n';
}
