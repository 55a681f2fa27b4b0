import type { LookupAddress, LookupOptions } from 'node:dns';
import { lookup as systemLookup } from 'node:dns';
import type { LookupFunction } from 'node:net';
import ipaddr from 'ipaddr.js';

/**
 * How far an address is trusted when the bot connects to fetch a file:
 * - `configured`: an origin the organisation configured (BACKEND_URL, FILE_ORIGINS). It may live on
 *   a private network (a backend behind a VPN, the tests on 127.0.0.1); only cloud metadata
 *   addresses are refused, since no file server lives there and a rebound name must not reach them.
 * - `public-only`: anything else. Only globally routable unicast addresses: no loopback, private,
 *   link-local, CGNAT, unique-local, IPv4-mapped or translated IPv6, multicast, reserved.
 */
export type AddressTrust = 'configured' | 'public-only';

/**
 * Cloud metadata and platform services outside the link-local range (which is refused whole):
 * AWS's IPv6 IMDS, Alibaba Cloud's metadata, Azure's WireServer.
 */
const METADATA_ADDRESSES = new Set(['fd00:ec2::254', '100.100.100.200', '168.63.129.16']);

/** The address as ipaddr.js sees it; undefined when it is not an IP address. */
function parse(address: string): ipaddr.IPv4 | ipaddr.IPv6 | undefined {
  const bare = address.startsWith('[') && address.endsWith(']') ? address.slice(1, -1) : address;
  return ipaddr.isValid(bare) ? ipaddr.parse(bare) : undefined;
}

/** Link-local (169.254/16, fe80::/10, where AWS, GCP and Azure serve instance metadata) or a known metadata address, IPv4-mapped too. */
export function isMetadataAddress(address: string): boolean {
  let parsed = parse(address);
  if (parsed === undefined) return false;
  if (parsed.kind() === 'ipv6' && (parsed as ipaddr.IPv6).isIPv4MappedAddress()) parsed = (parsed as ipaddr.IPv6).toIPv4Address();
  return parsed.range() === 'linkLocal' || METADATA_ADDRESSES.has(parsed.toNormalizedString()) || METADATA_ADDRESSES.has(parsed.toString());
}

/**
 * Whether anyone on the internet could reach this address: ipaddr.js's `unicast`, the one range left
 * once every special-purpose block of IANA's registries is taken out; and not a metadata address.
 */
export function isPublicAddress(address: string): boolean {
  const parsed = parse(address);
  return parsed !== undefined && parsed.range() === 'unicast' && !isMetadataAddress(address);
}

/** Whether a connection to `address` is allowed at this trust. */
export function addressAllowed(address: string, trust: AddressTrust): boolean {
  return trust === 'configured' ? !isMetadataAddress(address) : isPublicAddress(address);
}

/** The connection was refused because of where the name pointed: told apart from a network failure. */
export class AddressRefusedError extends Error {
  override readonly name = 'AddressRefusedError';
  readonly code = 'ERR_ADDRESS_REFUSED';
  constructor(readonly hostname: string) {
    super(`${hostname} resolves to an address the bot may not connect to`);
  }
}

/** A resolver as `dns.lookup` with `all: true` (tests put a fake DNS here). */
export type Resolver = (hostname: string, options: LookupOptions & { all: true }, callback: (error: NodeJS.ErrnoException | null, addresses: LookupAddress[]) => void) => void;

/**
 * A `lookup` for `net.connect`/`tls.connect` that checks every address a name resolves to, at the
 * moment of connecting: a name that pointed to a public address a moment ago and points to
 * 127.0.0.1 now (DNS rebinding) is refused, because nothing was checked earlier and trusted later.
 * A name with any refused address is refused whole. Literal IPs never reach a lookup: the caller
 * checks those itself.
 */
export function guardedLookup(trust: AddressTrust, resolve: Resolver = systemLookup as Resolver): LookupFunction {
  return (hostname, options, callback) => {
    resolve(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, '', 0);
      if (addresses.length === 0 || !addresses.every((a) => addressAllowed(a.address, trust))) {
        return callback(new AddressRefusedError(hostname), '', 0);
      }
      if (options.all) return (callback as (e: null, all: LookupAddress[]) => void)(null, addresses);
      const [first] = addresses as [LookupAddress];
      return callback(null, first.address, first.family);
    });
  };
}
