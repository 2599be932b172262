/**
 * SSRF guard for fetching articles on a moderator's behalf: only public http(s) hosts,
 * checked both on the URL and on the address a connection is actually made to.
 */
import type { LookupAddress, LookupOptions } from 'node:dns';
import { isIPv4, isIPv6 } from 'node:net';
import { builtin } from '../runtime-files';

export interface UrlSafetyOptions {
  /** Allow loopback, private and other non-public addresses (tests, self-hosted setups). */
  allowPrivate?: boolean;
}

/** A URL or address the bot refuses to fetch. */
export class UnsafeUrlError extends Error {
  constructor(
    /** What was refused, as a noun phrase that reads after "redirected to": "a private address (127.0.0.1)". */
    readonly refused: string,
    /** For users: "a private address (127.0.0.1) is not allowed". */
    readonly reason = `${refused} is not allowed`,
  ) {
    super(reason);
    this.name = 'UnsafeUrlError';
  }
}

/** Checks a URL before any connection; returns it parsed. Throws UnsafeUrlError. */
export function assertPublicUrl(input: string | URL, options: UrlSafetyOptions = {}): URL {
  let url: URL;
  try {
    url = new URL(input);
  } catch {
    const shown = String(input).slice(0, 100);
    throw new UnsafeUrlError(`an invalid URL ("${shown}")`, `"${shown}" is not a valid URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new UnsafeUrlError(`a ${url.protocol} URL (only http and https)`);
  }
  if (url.username !== '' || url.password !== '') {
    throw new UnsafeUrlError('a URL with a user name or password');
  }
  if (options.allowPrivate) return url;

  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  if (host === 'localhost' || host.endsWith('.localhost')) {
    throw new UnsafeUrlError(`a private address (${host})`);
  }
  // Node does not call the lookup function for IP literals, so they are checked here.
  if ((isIPv4(host) || isIPv6(host)) && isPrivateAddress(host)) {
    throw new UnsafeUrlError(`a private address (${host})`);
  }
  return url;
}

// ---------------------------------------------------------------- addresses

/** [network, prefix length] */
type Cidr4 = readonly [string, number];

const PRIVATE_V4: readonly Cidr4[] = [
  ['0.0.0.0', 8], // "this network"
  ['10.0.0.0', 8],
  ['100.64.0.0', 10], // carrier-grade NAT
  ['127.0.0.0', 8],
  ['169.254.0.0', 16], // link-local, including the 169.254.169.254 cloud metadata service
  ['172.16.0.0', 12],
  ['192.0.0.0', 24], // IETF protocol assignments
  ['192.0.2.0', 24], // documentation
  ['192.88.99.0', 24], // 6to4 relay anycast
  ['192.168.0.0', 16],
  ['198.18.0.0', 15], // benchmarking
  ['198.51.100.0', 24], // documentation
  ['203.0.113.0', 24], // documentation
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, including 255.255.255.255 broadcast
];

const PRIVATE_V4_RANGES = PRIVATE_V4.map(([network, bits]) => ({
  network: ipv4ToNumber(network) ?? 0,
  mask: bits === 0 ? 0 : (~0 << (32 - bits)) >>> 0,
}));

/**
 * True for any address that is not ordinary public unicast, including IPv6 forms that
 * embed a private IPv4 address. Anything that is not an IP address counts as private,
 * so a malformed answer can never slip through.
 */
export function isPrivateAddress(ip: string): boolean {
  const address = ip.trim();
  if (isIPv4(address)) return isPrivateV4(ipv4ToNumber(address) ?? 0);
  const groups = parseIPv6(address);
  return groups === undefined ? true : isPrivateV6(groups);
}

function isPrivateV4(value: number): boolean {
  return PRIVATE_V4_RANGES.some(({ network, mask }) => ((value & mask) >>> 0) === network);
}

function isPrivateV6(g: readonly number[]): boolean {
  const [g0 = 0, g1 = 0, g2 = 0, g3 = 0, g4 = 0, g5 = 0, g6 = 0, g7 = 0] = g;
  const embeddedTail = ((g6 << 16) | g7) >>> 0;
  const leadingZeros = g0 === 0 && g1 === 0 && g2 === 0 && g3 === 0 && g4 === 0;

  if (leadingZeros && g5 === 0) {
    // :: and ::1, and the deprecated IPv4-compatible ::a.b.c.d.
    return g6 === 0 ? true : isPrivateV4(embeddedTail);
  }
  if (leadingZeros && g5 === 0xffff) return isPrivateV4(embeddedTail); // ::ffff:a.b.c.d, IPv4-mapped
  if (g0 === 0x64 && g1 === 0xff9b && g2 === 0 && g3 === 0 && g4 === 0 && g5 === 0) {
    return isPrivateV4(embeddedTail); // 64:ff9b::/96, NAT64
  }
  if (g0 === 0x64 && g1 === 0xff9b && g2 === 1) return true; // 64:ff9b:1::/48, local-use NAT64
  if (g0 === 0x2002) return isPrivateV4(((g1 << 16) | g2) >>> 0); // 6to4 wraps the IPv4 in bits 16-47
  if (g0 === 0x2001 && g1 === 0) return isPrivateV4(~embeddedTail >>> 0); // Teredo stores the client inverted
  if (g0 === 0x2001 && g1 === 0xdb8) return true; // documentation
  if (g0 === 0x100 && g1 === 0 && g2 === 0 && g3 === 0) return true; // discard-only
  if ((g0 & 0xfe00) === 0xfc00) return true; // fc00::/7 unique local
  if ((g0 & 0xffc0) === 0xfe80) return true; // fe80::/10 link-local
  if ((g0 & 0xffc0) === 0xfec0) return true; // fec0::/10 deprecated site-local
  if ((g0 & 0xff00) === 0xff00) return true; // ff00::/8 multicast
  return false;
}

function ipv4ToNumber(address: string): number | undefined {
  const parts = address.split('.').map(Number);
  if (parts.length !== 4 || parts.some((part) => !Number.isInteger(part) || part < 0 || part > 255)) return undefined;
  return parts.reduce((value, part) => value * 256 + part, 0);
}

/** Eight 16-bit groups, or undefined when the text is not an IPv6 address. */
function parseIPv6(text: string): number[] | undefined {
  const address = text
    .replace(/^\[(.*)\]$/, '$1') // brackets
    .replace(/%.*$/, '') // zone id
    .replace(/(\d+\.\d+\.\d+\.\d+)$/, (dotted) => ipv4AsGroups(dotted)); // ::ffff:1.2.3.4 → ::ffff:102:304
  if (!isIPv6(address)) return undefined;

  const toGroups = (part: string): number[] => (part === '' ? [] : part.split(':').map((group) => parseInt(group, 16)));
  const [left = '', right] = address.split('::');
  if (right === undefined) return toGroups(left);
  const leftGroups = toGroups(left);
  const rightGroups = toGroups(right);
  const zeros = new Array<number>(8 - leftGroups.length - rightGroups.length).fill(0);
  return [...leftGroups, ...zeros, ...rightGroups];
}

function ipv4AsGroups(dotted: string): string {
  const value = ipv4ToNumber(dotted);
  return value === undefined ? dotted : `${(value >>> 16).toString(16)}:${(value & 0xffff).toString(16)}`;
}

// ---------------------------------------------------------------- DNS

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/** The shape of the `lookup` option of `net.connect`, `http.request` and `https.request`. */
export type LookupFunction = (hostname: string, options: LookupOptions, callback: LookupCallback) => void;

/** Resolves every address of a host name; replaceable so tests need no real DNS. */
export type Resolver = (hostname: string, family: number) => Promise<LookupAddress[]>;

export interface GuardedLookupOptions extends UrlSafetyOptions {
  resolve?: Resolver;
}

const systemResolver: Resolver = (hostname, family) =>
  new Promise((resolve, reject) => {
    // node:dns is loaded on the first lookup: a start that fetches nothing does not pay for it.
    builtin('node:dns').lookup(hostname, { all: true, family }, (error, addresses) => (error ? reject(error) : resolve(addresses)));
  });

/**
 * A lookup for `http.request({ lookup })`. It refuses a host if any of its addresses is
 * private, and the socket connects to exactly the addresses it approved, so a DNS answer
 * that changes between check and connect (rebinding) cannot get past it.
 */
export function createGuardedLookup(options: GuardedLookupOptions = {}): LookupFunction {
  const resolve = options.resolve ?? systemResolver;
  return (hostname, lookupOptions, callback) => {
    const family = typeof lookupOptions.family === 'number' ? lookupOptions.family : 0;
    resolve(hostname, family)
      .then((addresses) => {
        const refused = options.allowPrivate ? undefined : addresses.find(({ address }) => isPrivateAddress(address));
        if (refused) {
          throw new UnsafeUrlError(`${hostname} (which resolves to the private address ${refused.address})`);
        }
        if (addresses.length === 0) throw Object.assign(new Error(`no addresses for ${hostname}`), { code: 'ENOTFOUND' });
        // net.connect asks for every address when it races IPv4 against IPv6 (autoSelectFamily).
        if (lookupOptions.all) callback(null, addresses);
        else callback(null, addresses[0]?.address ?? '', addresses[0]?.family);
      })
      .catch((error: NodeJS.ErrnoException) => callback(error, ''));
  };
}
