// Hostnames: lower-case, trailing dot removed, IDN to its ASCII (punycode) form, each label checked.
import { domainToASCII } from 'node:url';

const LABEL = /^(?!-)[a-z0-9_-]{1,63}(?<!-)$/;

/** The canonical ASCII name, or null when the text is not a valid DNS name. */
export function canonicalHostname(text: string): string | null {
  if (text.length === 0 || text.length > 255) return null;
  const trimmed = text.endsWith('.') ? text.slice(0, -1) : text;
  const ascii = domainToASCII(trimmed.toLowerCase());
  if (ascii === '' || ascii.length > 253) return null;
  const labels = ascii.split('.');
  return labels.every((label) => LABEL.test(label)) ? ascii : null;
}

/** True when `name` is `domain` or one of its subdomains. */
export function isUnder(name: string, domain: string): boolean {
  return name === domain || name.endsWith(`.${domain}`);
}
