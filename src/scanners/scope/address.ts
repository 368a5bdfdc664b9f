// One canonical form for every address: IPv4 as a 32-bit number, IPv6 as a 128-bit number, and IPv4-mapped IPv6
// (::ffff:a.b.c.d) folded to IPv4 so that a policy written for 169.254.169.254 also catches its mapped spelling.
import { formatIPv4, looksLikeIPv4, parseIPv4 } from './ipv4.ts';
import { formatIPv6, parseIPv6 } from './ipv6.ts';

export interface Address {
  readonly family: 4 | 6;
  readonly value: bigint;
}

export interface Network {
  readonly family: 4 | 6;
  readonly base: bigint;
  readonly prefix: number;
}

const MAPPED_PREFIX = 0xffffn << 32n;

export function bits(family: 4 | 6): number {
  return family === 4 ? 32 : 128;
}

/** Parses any IPv4 spelling or IPv6 text (brackets allowed); null when it is not an address. */
export function parseAddress(text: string): Address | null {
  const inner = text.startsWith('[') && text.endsWith(']') ? text.slice(1, -1) : text;
  if (inner.includes(':')) {
    const v6 = parseIPv6(inner);
    if (v6 === null) return null;
    if (v6 >> 32n === MAPPED_PREFIX >> 32n) return { family: 4, value: v6 & 0xffffffffn };
    return { family: 6, value: v6 };
  }
  if (!looksLikeIPv4(inner)) return null;
  const v4 = parseIPv4(inner);
  return v4 === null ? null : { family: 4, value: BigInt(v4) };
}

export function formatAddress(address: Address): string {
  return address.family === 4 ? formatIPv4(Number(address.value)) : formatIPv6(address.value);
}

function mask(family: 4 | 6, prefix: number): bigint {
  const width = BigInt(bits(family));
  return ((1n << width) - 1n) ^ ((1n << (width - BigInt(prefix))) - 1n);
}

export function network(address: Address, prefix: number): Network {
  return { family: address.family, base: address.value & mask(address.family, prefix), prefix };
}

/** Parses "a.b.c.d/n", "x::/n" or a single address (a /32 or /128); null when malformed. */
export function parseNetwork(text: string): Network | null {
  const slash = text.indexOf('/');
  const address = parseAddress(slash < 0 ? text : text.slice(0, slash));
  if (!address) return null;
  if (slash < 0) return network(address, bits(address.family));
  const prefixText = text.slice(slash + 1);
  if (!/^\d{1,3}$/.test(prefixText)) return null;
  let prefix = Number(prefixText);
  // A mapped IPv6 network (::ffff:10.0.0.0/104) folds to its IPv4 network.
  if (address.family === 4 && text.slice(0, slash).includes(':')) prefix -= 96;
  if (prefix < 0 || prefix > bits(address.family)) return null;
  return network(address, prefix);
}

export function contains(net: Network, address: Address): boolean {
  return net.family === address.family && (address.value & mask(net.family, net.prefix)) === net.base;
}

export function overlaps(a: Network, b: Network): boolean {
  if (a.family !== b.family) return false;
  const prefix = Math.min(a.prefix, b.prefix);
  return (a.base & mask(a.family, prefix)) === (b.base & mask(b.family, prefix));
}

/** True when every address of `inner` is inside `outer`. */
export function covers(outer: Network, inner: Network): boolean {
  return outer.family === inner.family && outer.prefix <= inner.prefix && overlaps(outer, inner);
}

export function networkSize(net: Network): bigint {
  return 1n << BigInt(bits(net.family) - net.prefix);
}

export function formatNetwork(net: Network): string {
  return `${formatAddress({ family: net.family, value: net.base })}/${net.prefix}`;
}

export function* addressesOf(net: Network): Generator<Address> {
  const size = networkSize(net);
  for (let i = 0n; i < size; i++) yield { family: net.family, value: net.base + i };
}
