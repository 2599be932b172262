import type { LookupAddress, LookupOptions } from 'node:dns';
import { describe, expect, it } from 'vitest';
import {
  assertPublicUrl,
  createGuardedLookup,
  isPrivateAddress,
  UnsafeUrlError,
  type Resolver,
} from '../../src/sources/url-safety';

describe('isPrivateAddress', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.255.255.254', 'loopback /8'],
    ['0.0.0.0', 'this network'],
    ['0.1.2.3', 'this network /8'],
    ['10.0.0.1', 'private 10/8'],
    ['10.255.255.255', 'private 10/8 top'],
    ['172.16.0.1', 'private 172.16/12 bottom'],
    ['172.31.255.255', 'private 172.16/12 top'],
    ['192.168.1.1', 'private 192.168/16'],
    ['169.254.169.254', 'cloud metadata'],
    ['169.254.0.1', 'link-local'],
    ['100.64.0.1', 'CGNAT bottom'],
    ['100.127.255.255', 'CGNAT top'],
    ['192.0.0.8', 'IETF protocol assignments'],
    ['192.0.2.10', 'documentation'],
    ['198.18.0.1', 'benchmarking'],
    ['198.19.255.255', 'benchmarking top'],
    ['224.0.0.1', 'multicast'],
    ['239.255.255.250', 'multicast (SSDP)'],
    ['240.0.0.1', 'reserved'],
    ['255.255.255.255', 'broadcast'],
    ['::1', 'IPv6 loopback'],
    ['::', 'IPv6 unspecified'],
    ['0:0:0:0:0:0:0:1', 'IPv6 loopback, long form'],
    ['fc00::1', 'unique local fc00::/7'],
    ['fd12:3456:789a::1', 'unique local fd'],
    ['fe80::1', 'link-local'],
    ['fe80::1%eth0', 'link-local with zone id'],
    ['febf::1', 'link-local top'],
    ['ff02::1', 'multicast'],
    ['::ffff:127.0.0.1', 'IPv4-mapped loopback'],
    ['::ffff:7f00:1', 'IPv4-mapped loopback, hex form'],
    ['::FFFF:A9FE:A9FE', 'IPv4-mapped metadata, upper-case hex'],
    ['::ffff:10.1.2.3', 'IPv4-mapped private'],
    ['::127.0.0.1', 'IPv4-compatible loopback'],
    ['64:ff9b::127.0.0.1', 'NAT64 of loopback'],
    ['64:ff9b::a9fe:a9fe', 'NAT64 of metadata, hex form'],
    ['64:ff9b:1::1', 'local-use NAT64'],
    ['2002:7f00:1::', '6to4 of loopback'],
    ['2002:c0a8:0101::1', '6to4 of 192.168.1.1'],
    ['2001:0:4136:e378:8000:63bf:80ff:fffe', 'Teredo of 127.0.0.1'],
    ['2001:db8::1', 'documentation'],
    ['[::1]', 'bracketed, as in a URL'],
  ])('%s is private (%s)', (address) => {
    expect(isPrivateAddress(address)).toBe(true);
  });

  it.each([
    ['8.8.8.8', 'public DNS'],
    ['1.1.1.1', 'public DNS'],
    ['172.15.255.255', 'just below 172.16/12'],
    ['172.32.0.1', 'just above 172.16/12'],
    ['100.63.255.255', 'just below CGNAT'],
    ['100.128.0.1', 'just above CGNAT'],
    ['169.253.255.255', 'just below link-local'],
    ['198.17.255.255', 'just below benchmarking'],
    ['198.20.0.1', 'just above benchmarking'],
    ['223.255.255.255', 'just below multicast'],
    ['11.0.0.1', 'just above 10/8'],
    ['2606:4700:4700::1111', 'public IPv6'],
    ['2a00:1450:4009:81f::200e', 'public IPv6'],
    ['::ffff:8.8.8.8', 'IPv4-mapped public'],
    ['64:ff9b::8.8.8.8', 'NAT64 of public'],
    ['2002:0808:0808::1', '6to4 of public'],
    ['fbff::1', 'just below fc00::/7'],
  ])('%s is public (%s)', (address) => {
    expect(isPrivateAddress(address)).toBe(false);
  });

  it.each(['example.com', '', '999.1.1.1', '1.2.3', '::ffff:999.1.1.1', 'not an ip'])(
    'fails closed on %j, which is not an address',
    (text) => {
      expect(isPrivateAddress(text)).toBe(true);
    },
  );
});

describe('assertPublicUrl', () => {
  const refusal = (url: string, allowPrivate = false): string => {
    try {
      assertPublicUrl(url, { allowPrivate });
    } catch (error) {
      expect(error).toBeInstanceOf(UnsafeUrlError);
      return (error as UnsafeUrlError).reason;
    }
    throw new Error(`expected ${url} to be refused`);
  };

  it('accepts public http and https URLs and returns them parsed', () => {
    const url = assertPublicUrl('https://news.example.com/story?id=1', { allowPrivate: false });
    expect(url.hostname).toBe('news.example.com');
    expect(assertPublicUrl(new URL('http://93.184.216.34/a'), {}).href).toBe('http://93.184.216.34/a');
  });

  it.each([
    ['http://127.0.0.1/', 'a private address (127.0.0.1) is not allowed'],
    ['http://169.254.169.254/latest/meta-data/', 'a private address (169.254.169.254) is not allowed'],
    ['http://[::1]:8080/', 'a private address (::1) is not allowed'],
    ['http://[::ffff:127.0.0.1]/', 'a private address (::ffff:7f00:1) is not allowed'],
    ['http://localhost:3000/', 'a private address (localhost) is not allowed'],
    ['http://admin.localhost/', 'a private address (admin.localhost) is not allowed'],
  ])('refuses %s', (url, reason) => {
    expect(refusal(url)).toBe(reason);
  });

  it.each([
    ['http://2130706433/', '127.0.0.1'],
    ['http://0x7f.1/', '127.0.0.1'],
    ['http://017700000001/', '127.0.0.1'],
    ['http://10.1/', '10.0.0.1'],
  ])('sees through the numeric spelling of %s', (url, address) => {
    expect(refusal(url)).toBe(`a private address (${address}) is not allowed`);
  });

  it.each([
    ['file:///etc/passwd', 'a file: URL (only http and https) is not allowed'],
    ['ftp://example.com/a', 'a ftp: URL (only http and https) is not allowed'],
    ['javascript:alert(1)', 'a javascript: URL (only http and https) is not allowed'],
    ['https://user:secret@example.com/', 'a URL with a user name or password is not allowed'],
    ['https://user@example.com/', 'a URL with a user name or password is not allowed'],
    ['not a url', '"not a url" is not a valid URL'],
  ])('refuses %s even when private addresses are allowed', (url, reason) => {
    expect(refusal(url, true)).toBe(reason);
  });

  it('lets private addresses through only when allowed', () => {
    expect(assertPublicUrl('http://127.0.0.1:8080/a', { allowPrivate: true }).port).toBe('8080');
  });
});

describe('createGuardedLookup', () => {
  const fakeDns = (answers: Record<string, LookupAddress[]>): Resolver => {
    return (hostname) => Promise.resolve(answers[hostname] ?? []);
  };
  const dns = fakeDns({
    'public.test': [{ address: '93.184.216.34', family: 4 }],
    'dual.test': [
      { address: '2606:4700::1', family: 6 },
      { address: '93.184.216.34', family: 4 },
    ],
    'rebound.test': [{ address: '10.0.0.7', family: 4 }],
    'mixed.test': [
      { address: '93.184.216.34', family: 4 },
      { address: '::ffff:169.254.169.254', family: 6 },
    ],
  });

  const lookUp = (
    hostname: string,
    options: LookupOptions,
    allowPrivate = false,
  ): Promise<{ address: string | LookupAddress[]; family?: number }> =>
    new Promise((resolve, reject) => {
      createGuardedLookup({ allowPrivate, resolve: dns })(hostname, options, (error, address, family) =>
        error ? reject(error) : resolve({ address, family }),
      );
    });

  it('answers with one address when net asks for one', async () => {
    await expect(lookUp('public.test', {})).resolves.toEqual({ address: '93.184.216.34', family: 4 });
  });

  it('answers with every address when net asks for all (autoSelectFamily)', async () => {
    const { address } = await lookUp('dual.test', { all: true });
    expect(address).toEqual([
      { address: '2606:4700::1', family: 6 },
      { address: '93.184.216.34', family: 4 },
    ]);
  });

  it('refuses a name that resolves to a private address', async () => {
    await expect(lookUp('rebound.test', {})).rejects.toThrow(
      'rebound.test (which resolves to the private address 10.0.0.7) is not allowed',
    );
  });

  it('refuses a name when any one of its addresses is private', async () => {
    const refusal = lookUp('mixed.test', { all: true });
    await expect(refusal).rejects.toBeInstanceOf(UnsafeUrlError);
    await expect(refusal).rejects.toThrow('::ffff:169.254.169.254');
  });

  it('passes private answers through when allowed', async () => {
    await expect(lookUp('rebound.test', {}, true)).resolves.toEqual({ address: '10.0.0.7', family: 4 });
  });

  it('reports a name with no addresses as not found', async () => {
    await expect(lookUp('nowhere.test', {})).rejects.toMatchObject({ code: 'ENOTFOUND' });
  });

  it('passes resolver failures on', async () => {
    const failing: Resolver = () => Promise.reject(Object.assign(new Error('boom'), { code: 'EAI_AGAIN' }));
    const error = await new Promise<NodeJS.ErrnoException | null>((resolve) => {
      createGuardedLookup({ resolve: failing })('x.test', {}, (err) => resolve(err));
    });
    expect(error?.code).toBe('EAI_AGAIN');
  });

  it('resolves a real name through the system resolver', async () => {
    // "localhost" resolves from the hosts file, so this needs no network; it must be refused.
    const guarded = createGuardedLookup({ allowPrivate: false });
    const error = await new Promise<Error | null>((resolve) => guarded('localhost', {}, (err) => resolve(err)));
    expect(error).toBeInstanceOf(UnsafeUrlError);
  });
});
