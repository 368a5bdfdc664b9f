// Addresses no scan should reach unless the operator says so: cloud-metadata endpoints (credentials live there)
// and link-local ranges; and addresses that are never a single host (unspecified, multicast, broadcast).
import { parseNetwork, type Network } from './address.ts';

function nets(list: readonly string[]): readonly Network[] {
  return list.map((text) => {
    const net = parseNetwork(text);
    if (!net) throw new Error(`bad built-in range ${text}`);
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

/** NAT64 (RFC 6052) embeds an IPv4 address in its low 32 bits; the embedded address is checked too. */
export const NAT64_PREFIX = nets(['64:ff9b::/96'])[0] as Network;
