// IPv6 addresses that carry an IPv4 address: a packet sent to one may be delivered to that IPv4 host (a NAT64
// gateway, a 6to4 or Teredo relay, a kernel's automatic tunnel), so the policy must judge the IPv4 inside too.
// The IPv6 address is still what gets scanned (unlike ::ffff:a.b.c.d, which the socket API itself sends as IPv4 and
// which address.ts folds): only the decisions look inside.
//
// Where an address could embed at several positions (the local-use NAT64 prefix, whose operator picks the prefix
// length), every candidate is returned, marked uncertain: a metadata or denied candidate refuses the address, but
// the reserved-range rule does not apply to them (a /96 layout's 192.0.2.33 reads as 0.0.0.192 in the /64 layout,
// so that rule would refuse every such address).
import { AsmvsError } from '../../errors.ts';
import { network, type Address, type Network } from './address.ts';
import { parseIPv6 } from './ipv6.ts';

/** A run of IPv4 bits inside the IPv6 address: bit positions counted from the most significant (0) bit. */
interface Segment {
  readonly from: number;
  readonly length: number;
}

interface Layout {
  readonly segments: readonly Segment[];
  /** Teredo stores its client address with every bit inverted (RFC 4380 §4). */
  readonly inverted?: boolean;
}

export interface Embedding {
  readonly name: string;
  readonly prefix: Network;
  /** Addresses inside the prefix that carry no IPv4 (:: and ::1 in ::/96). */
  readonly except?: readonly bigint[];
  readonly layouts: readonly Layout[];
}

const LOW_32: Layout = { segments: [{ from: 96, length: 32 }] };

function v6(text: string, prefix: number): Network {
  const value = parseIPv6(text);
  if (value === null) throw new AsmvsError('INTERNAL', `bad built-in prefix ${text}`);
  return network({ family: 6, value }, prefix);
}

// RFC 6052 §2.2: below /64 the IPv4 bits skip bits 64-71 (the "u" octet).
const RFC6052_LAYOUTS: readonly Layout[] = [
  {
    segments: [
      { from: 48, length: 16 },
      { from: 72, length: 16 },
    ],
  }, // /48 prefix
  {
    segments: [
      { from: 56, length: 8 },
      { from: 72, length: 24 },
    ],
  }, // /56 prefix
  { segments: [{ from: 72, length: 32 }] }, // /64 prefix
  LOW_32, // /96 prefix
];

export const EMBEDDINGS: readonly Embedding[] = [
  // RFC 4291 §2.5.5.1, deprecated, but an old kernel's automatic tunnel (sit0) still routes ::/96 over IPv4.
  { name: 'IPv4-compatible', prefix: v6('::', 96), except: [0n, 1n], layouts: [LOW_32] },
  // Folded to IPv4 when parsed; listed so that a value built by arithmetic (a range's addresses) is judged the same.
  { name: 'IPv4-mapped', prefix: v6('::ffff:0:0', 96), layouts: [LOW_32] },
  { name: 'IPv4-translated', prefix: v6('::ffff:0:0:0', 96), layouts: [LOW_32] }, // RFC 2765 (SIIT)
  { name: 'NAT64', prefix: v6('64:ff9b::', 96), layouts: [LOW_32] }, // RFC 6052 well-known prefix
  { name: 'local-use NAT64', prefix: v6('64:ff9b:1::', 48), layouts: RFC6052_LAYOUTS }, // RFC 8215
  { name: '6to4', prefix: v6('2002::', 16), layouts: [{ segments: [{ from: 16, length: 32 }] }] }, // RFC 3056
  // RFC 4380: 2001:0:<server>:<flags>:<port>:<client>. A relay delivers to the client's (obfuscated) address; the
  // server is not on the data path.
  { name: 'Teredo', prefix: v6('2001::', 32), layouts: [{ segments: [{ from: 96, length: 32 }], inverted: true }] },
];

function bitsAt(value: bigint, segment: Segment): bigint {
  return (value >> BigInt(128 - segment.from - segment.length)) & ((1n << BigInt(segment.length)) - 1n);
}

function extract(value: bigint, layout: Layout): bigint {
  const v4 = layout.segments.reduce((acc, s) => (acc << BigInt(s.length)) | bitsAt(value, s), 0n);
  return layout.inverted ? v4 ^ 0xffffffffn : v4;
}

function inside(net: Network, value: bigint): boolean {
  const shift = BigInt(128 - net.prefix);
  return value >> shift === net.base >> shift;
}

export interface EmbeddedIPv4 {
  readonly address: Address;
  /** The form it was found in, for the refusal's message ("6to4"). */
  readonly form: string;
  /** False for one of several candidate layouts. */
  readonly certain: boolean;
}

/** Every IPv4 address an IPv6 address carries (none for IPv4 and for plain IPv6). */
export function embeddedIPv4(address: Address): EmbeddedIPv4[] {
  if (address.family !== 6) return [];
  const found: EmbeddedIPv4[] = [];
  for (const e of EMBEDDINGS) {
    if (!inside(e.prefix, address.value) || e.except?.includes(address.value)) continue;
    for (const layout of e.layouts)
      found.push({
        address: { family: 4, value: extract(address.value, layout) },
        form: e.name,
        certain: e.layouts.length === 1,
      });
  }
  return found;
}

export interface EmbeddedNetwork {
  readonly network: Network;
  readonly form: string;
  readonly certain: boolean;
}

/**
 * The IPv4 networks that an IPv6 network's addresses carry, one per layout, for a network inside one embedding
 * prefix: its fixed bits fix the IPv4's leading bits and its free bits run through the IPv4's trailing bits (a
 * layout's IPv4 bits sit in increasing IPv6 positions, so the free ones are always a suffix: an IPv4 prefix). A
 * network larger than the prefix (or holding one of its exceptions) gets none here; each of its addresses is still
 * judged one by one.
 */
export function embeddedIPv4Networks(net: Network): EmbeddedNetwork[] {
  if (net.family !== 6) return [];
  const found: EmbeddedNetwork[] = [];
  for (const e of EMBEDDINGS) {
    if (net.prefix < e.prefix.prefix || !inside(e.prefix, net.base)) continue;
    // ::/126 holds ::1, which carries nothing: not every address of it carries the IPv4 network.
    if (e.except?.some((x) => inside(net, x))) continue;
    for (const layout of e.layouts) {
      const fixed = layout.segments.reduce((n, s) => n + Math.max(0, Math.min(s.length, net.prefix - s.from)), 0);
      const base = { family: 4 as const, value: extract(net.base, layout) };
      found.push({ network: network(base, fixed), form: e.name, certain: e.layouts.length === 1 });
    }
  }
  return found;
}
