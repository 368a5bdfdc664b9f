// Pure recognisers for the HTTP path checks (the GETs are made by active-checks.ts).

export function isDirectoryListing(status: number, body: Buffer): boolean {
  if (status !== 200) return false;
  const text = body.subarray(0, 65_536).toString('utf8');
  return (
    /<title>\s*(Index of \/|Directory listing for \/)/i.test(text) ||
    /<h1>\s*(Index of \/|Directory listing for \/)/i.test(text)
  );
}

export function isGitHead(status: number, body: Buffer): boolean {
  if (status !== 200) return false;
  const text = body.subarray(0, 512).toString('latin1');
  return /^ref: refs\/[\w./-]+\s*$/.test(text) || /^[0-9a-f]{40}\s*$/.test(text);
}
