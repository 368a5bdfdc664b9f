// Addresses no scan should reach unless the operator says so: cloud-metadata endpoints (credentials live there)
// and link-local ranges; and addresses that are never a single host (unspecified, multicast, broadcast).
import { AsmvsError } from '../../errors.ts';
import { parseNetwork, type Network } from './address.ts';

function nets(list: readonly string[]): readonly Network[] {
  return list.map((text) => {
    const net = parseNetwork(text);
    if (!net) throw new AsmvsError('INTERNAL', `bad built-in range ${text}`);
    return net;
  });
}

/** Cloud metadata and link-local: denied unless SCOPE_ALLOW_METADATA. */
export const METADATA_RANGES = nets([
  '169.254.0.0/16', // IPv4 link-local; AWS, GCP, Azure, OpenStack, Oracle metadata at 169.254.169.254
  'fe80::/10', // IPv6 link-local
  'fd00:ec2::254/128', // AWS IMDS over IPv6
  '100.100.100.200/32', // Alibaba Cloud metadata
  '168.63.129.16/32', // Azure WireServer
]);

/** Names that resolve to metadata services inside clouds; refused before any DNS query. */
export const METADATA_HOSTNAMES: readonly string[] = [
  'metadata.google.internal',
  'metadata.goog',
  'metadata',
  'instance-data',
  'instance-data.ec2.internal',
];

/** Never a host to scan. */
export const UNSCANNABLE_RANGES = nets([
  '0.0.0.0/8', // "this network": connecting to 0.0.0.0 reaches the local host by surprise
  '224.0.0.0/4', // multicast
  '240.0.0.0/4', // reserved, incl. broadcast
  '::/128',
  'ff00::/8', // multicast
]);

/**
 * Words an allow or deny entry may use for a set of networks. `loopback`: this machine in both families, because
 * 127.0.0.0/8 alone does not cover ::1 (and a CIDR means exactly its addresses). The embedded spellings of 127/8
 * (::127.0.0.1, 64:ff9b::7f00:1 …) are judged by their IPv4, so the keyword covers them too.
 */
export const SCOPE_KEYWORDS: Readonly<Record<string, readonly Network[]>> = {
  loopback: nets(['127.0.0.0/8', '::1/128']),
};
