// Which kind of network an address belongs to. Anything not in a special-purpose range is public.
import { contains, parseAddress, parseNetwork, type Network } from '../scanners/scope/address.ts';

export type AddressClass =
  'public' | 'private' | 'cgnat' | 'loopback' | 'link-local' | 'ula' | 'documentation' | 'benchmarking' | 'reserved';

const RANGES: readonly [string, AddressClass][] = [
  ['127.0.0.0/8', 'loopback'],
  ['::1/128', 'loopback'],
  ['10.0.0.0/8', 'private'],
  ['172.16.0.0/12', 'private'],
  ['192.168.0.0/16', 'private'],
  ['100.64.0.0/10', 'cgnat'],
  ['169.254.0.0/16', 'link-local'],
  ['fe80::/10', 'link-local'],
  ['fc00::/7', 'ula'],
  ['192.0.2.0/24', 'documentation'],
  ['198.51.100.0/24', 'documentation'],
  ['203.0.113.0/24', 'documentation'],
  ['2001:db8::/32', 'documentation'],
  ['198.18.0.0/15', 'benchmarking'],
  ['0.0.0.0/8', 'reserved'],
  ['192.0.0.0/24', 'reserved'],
  ['224.0.0.0/4', 'reserved'],
  ['240.0.0.0/4', 'reserved'],
  ['::/128', 'reserved'],
  ['ff00::/8', 'reserved'],
];

const NETWORKS: readonly [Network, AddressClass][] = RANGES.map(([cidr, kind]) => [
  parseNetwork(cidr) as Network,
  kind,
]);

/** The class of an address text; null when the text is not an address. */
export function classifyAddress(text: string): AddressClass | null {
  const address = parseAddress(text);
  if (!address) return null;
  return NETWORKS.find(([net]) => contains(net, address))?.[1] ?? 'public';
}
