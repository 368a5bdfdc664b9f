// One event as one JSON line: bytes (raw scanner output) as base64, so a line is always valid JSON.
export function toJsonLine(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (
      v &&
      typeof v === 'object' &&
      (v as { type?: unknown }).type === 'Buffer' &&
      Array.isArray((v as { data?: unknown }).data)
    ) {
      return { base64: Buffer.from((v as { data: number[] }).data).toString('base64') };
    }
    return v;
  });
}
