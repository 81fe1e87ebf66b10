/**
 * @module sandbox/network/address
 * Which IP addresses the egress proxy may connect to. Only ordinary public unicast addresses pass:
 * loopback, private ranges, link-local, carrier-grade NAT, multicast, broadcast, unspecified,
 * documentation/benchmark/reserved ranges, unique-local IPv6, cloud metadata addresses and the
 * host's own interface addresses are refused. IPv6 forms that embed an IPv4 address
 * (IPv4-mapped, NAT64 `64:ff9b::/96`, 6to4, Teredo, IPv4-compatible) are refused outright, since the
 * IPv4 inside may lead anywhere. IPv4 literals in decimal, hex, octal or short forms (`2130706433`,
 * `0x7f000001`, `0177.0.0.1`, `127.1`) are recognised as the address they name (`ipaddr.js` parses
 * every inet_aton form, which is why it is a dependency).
 */
import os from 'node:os';
import ipaddr from 'ipaddr.js';

/** Names that lead to cloud metadata services, refused whatever the allow list says. */
export const METADATA_NAMES = [
  'metadata.google.internal', 'metadata.goog', 'metadata', 'instance-data', 'instance-data.ec2.internal',
  'metadata.azure.com', 'metadata.platformequinix.com', 'metadata.tencentyun.com',
];

/** Cloud metadata addresses (most also fall in a refused range; listed so the reason says so). */
const METADATA_ADDRESSES = new Set(['169.254.169.254', '169.254.170.2', '169.254.169.253', '100.100.100.200', 'fd00:ec2::254', 'fd00:ec2::23']);

/**
 * Parses an IP literal in any form a client might send (`[::1]`, `0x7f000001`, `127.1`), or
 * returns undefined when `host` is a name. The result is the canonical string.
 *
 * @example
 * parseIpLiteral('2130706433') // '127.0.0.1'
 * parseIpLiteral('[::1]')      // '::1'
 * parseIpLiteral('pypi.org')   // undefined
 */
export function parseIpLiteral(host: string): string | undefined {
  let h = host.trim();
  if (h.startsWith('[') && h.endsWith(']')) h = h.slice(1, -1);
  // An IPv6 zone id (`fe80::1%eth0`) only picks an interface; the address is judged without it.
  if (h.includes(':') && h.includes('%')) h = h.slice(0, h.indexOf('%'));
  // A bare number like "80" or a hex word is an address to inet_aton; so it is for us.
  if (!ipaddr.isValid(h)) return undefined;
  try {
    return ipaddr.parse(h).toString();
  } catch {
    return undefined;
  }
}

/** The host's own interface addresses, read once per call (canonical strings). */
export function hostAddresses(): Set<string> {
  const out = new Set<string>();
  for (const list of Object.values(os.networkInterfaces())) {
    for (const info of list ?? []) {
      try {
        out.add(ipaddr.parse(info.address.split('%')[0] ?? '').toString());
      } catch {
        /* an address node cannot parse is not one we could connect to either */
      }
    }
  }
  return out;
}

/**
 * Why connecting to `address` is refused, or undefined when it is an ordinary public address.
 *
 * @example
 * refusedAddress('169.254.169.254', new Set()) // 'cloud metadata address'
 * refusedAddress('10.0.0.1', new Set())        // 'private address range (private)'
 * refusedAddress('93.184.215.14', new Set())   // undefined
 */
export function refusedAddress(address: string, own: ReadonlySet<string>): string | undefined {
  let addr: ipaddr.IPv4 | ipaddr.IPv6;
  try {
    addr = ipaddr.parse(address.startsWith('[') ? address.slice(1, -1) : address);
  } catch {
    return 'not an IP address';
  }
  const canonical = addr.toString();
  if (METADATA_ADDRESSES.has(canonical)) return 'cloud metadata address';
  const range = addr.range();
  if (addr.kind() === 'ipv6') {
    if (['ipv4Mapped', 'rfc6052', 'rfc6145', '6to4', 'teredo', 'ipv4Compat'].includes(range)) {
      return `IPv6 form that embeds an IPv4 address (${range})`;
    }
  }
  if (range === 'unicast') {
    // ipaddr.js calls a few special blocks "unicast"; refuse the ones that are not the internet.
    if (addr.kind() === 'ipv4') {
      const [a, b] = (addr as ipaddr.IPv4).octets;
      if (a === 0 || (a === 192 && b === 0) || a === 255) return 'reserved address range';
    }
    return own.has(canonical) ? "the host's own address" : undefined;
  }
  return `${describe(range)} (${range})`;
}

function describe(range: string): string {
  switch (range) {
    case 'loopback': return 'loopback address';
    case 'private': case 'uniqueLocal': return 'private address range';
    case 'linkLocal': return 'link-local address';
    case 'carrierGradeNat': return 'carrier-grade NAT range';
    case 'multicast': return 'multicast address';
    case 'broadcast': return 'broadcast address';
    case 'unspecified': return 'unspecified address';
    default: return 'reserved address range';
  }
}
