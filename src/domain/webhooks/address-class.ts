import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';

/** What kind of network an IP address belongs to, as far as webhook targets care. */
export type AddressClass = 'public' | 'loopback' | 'private' | 'link-local' | 'multicast' | 'unspecified' | 'reserved';

const V4: Record<string, AddressClass> = {
  unicast: 'public',
  loopback: 'loopback',
  private: 'private',
  carrierGradeNat: 'private',
  linkLocal: 'link-local',
  multicast: 'multicast',
  broadcast: 'multicast',
  unspecified: 'unspecified',
};

const V6: Record<string, AddressClass> = {
  unicast: 'public',
  loopback: 'loopback',
  uniqueLocal: 'private',
  deprecatedSiteLocal: 'private',
  linkLocal: 'link-local',
  multicast: 'multicast',
  unspecified: 'unspecified',
};

/** NAT64's well-known prefix (RFC 6052): the last 32 bits are the IPv4 address a translator connects to. */
const NAT64 = ipaddr.IPv6.parse('64:ff9b::');
/** ::/8 outside the ranges above: IPv4-compatible addresses (::a.b.c.d) and other IETF-reserved space. */
const RESERVED_ZERO = ipaddr.IPv6.parse('::');

/**
 * The class of an IP address (IPv4, or IPv6 in any spelling). IPv6 forms that carry an IPv4 address (IPv4-mapped
 * `::ffff:a.b.c.d`, the translated `::ffff:0:a.b.c.d`, NAT64 `64:ff9b::a.b.c.d`, 6to4 `2002:aabb:ccdd::`) are classed
 * by that IPv4 address, since that is where a connection ends up; anything ipaddr.js knows as special and not
 * listed above (documentation, benchmarking, Teredo, …) is `reserved`. Throws on text that is not an address in
 * the strict sense of net.isIP (no `1.2.3` shorthand, which ipaddr.js would read).
 */
export function classifyAddress(text: string): AddressClass {
  if (!isIP(text)) throw new TypeError(`not an IP address: ${text}`);
  const address = ipaddr.parse(text);
  if (address.kind() === 'ipv4') return V4[address.range()] ?? 'reserved';
  const v6 = address as ipaddr.IPv6;
  const embedded = embeddedIPv4(v6);
  if (embedded) return classifyAddress(embedded.toString());
  const known = V6[v6.range()];
  if (known === 'public' && v6.match(RESERVED_ZERO, 8)) return 'reserved';
  return known ?? 'reserved';
}

function embeddedIPv4(address: ipaddr.IPv6): ipaddr.IPv4 | null {
  const range = address.range();
  const bytes = address.toByteArray();
  if (range === 'ipv4Mapped' || range === 'rfc6145' || address.match(NAT64, 96)) return new ipaddr.IPv4(bytes.slice(12, 16));
  if (range === '6to4') return new ipaddr.IPv4(bytes.slice(2, 6));
  return null;
}

/** How a refusal names the class, e.g. "a loopback address". */
export function describeClass(kind: AddressClass): string {
  switch (kind) {
    case 'public':
      return 'a public address';
    case 'loopback':
      return 'a loopback address';
    case 'private':
      return 'a private-network address';
    case 'link-local':
      return 'a link-local address';
    case 'multicast':
      return 'a multicast or broadcast address';
    case 'unspecified':
      return 'the unspecified address';
    case 'reserved':
      return 'a reserved address';
  }
}
