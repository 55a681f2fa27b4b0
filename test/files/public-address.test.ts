import type { LookupAddress } from 'node:dns';
import { describe, expect, test } from 'vitest';
import { addressAllowed, AddressRefusedError, guardedLookup, isMetadataAddress, isPublicAddress, type Resolver } from '../../lib/files/public-address.js';

const NOT_PUBLIC = [
  '127.0.0.1', '127.8.9.10', '0.0.0.0', '10.1.2.3', '172.16.0.1', '192.168.1.1', '169.254.169.254', '100.64.0.1', '100.100.100.200',
  '224.0.0.1', '255.255.255.255', '192.0.2.1', '198.18.0.1', '::1', '::', 'fe80::1', 'fd00::1', 'fd00:ec2::254', '::ffff:127.0.0.1',
  '::ffff:8.8.8.8', '64:ff9b::7f00:1', '2002:7f00:1::', '2001:db8::1', 'ff02::1', '[::1]', 'localhost', '', 'not an address',
];
const PUBLIC = ['8.8.8.8', '1.1.1.1', '93.184.215.14', '2606:4700:4700::1111', '2001:4860:4860::8888', '[2a00:1450:4001::200e]'];

describe('addresses', () => {
  test('public: global unicast only', () => {
    for (const address of NOT_PUBLIC) expect(isPublicAddress(address), address).toBe(false);
    for (const address of PUBLIC) expect(isPublicAddress(address), address).toBe(true);
  });

  test('metadata: link-local and the known platform addresses, IPv4-mapped too', () => {
    for (const address of ['169.254.169.254', '169.254.170.2', 'fe80::a9fe:a9fe', 'fd00:ec2::254', '100.100.100.200', '168.63.129.16', '::ffff:169.254.169.254']) {
      expect(isMetadataAddress(address), address).toBe(true);
    }
    for (const address of ['127.0.0.1', '10.0.0.5', '8.8.8.8', 'fd00::1']) expect(isMetadataAddress(address), address).toBe(false);
  });

  test('a configured origin may be private, never metadata', () => {
    expect(addressAllowed('10.0.0.5', 'configured')).toBe(true);
    expect(addressAllowed('127.0.0.1', 'configured')).toBe(true);
    expect(addressAllowed('169.254.169.254', 'configured')).toBe(false);
    expect(addressAllowed('10.0.0.5', 'public-only')).toBe(false);
  });
});

describe('guardedLookup', () => {
  const dns = (answers: Record<string, string[]>): Resolver => (hostname, _options, callback) =>
    callback(null, (answers[hostname] ?? []).map((address): LookupAddress => ({ address, family: address.includes(':') ? 6 : 4 })));
  const run = (lookup: ReturnType<typeof guardedLookup>, hostname: string, all: boolean) =>
    new Promise<{ error: unknown; result: unknown }>((resolve) => lookup(hostname, { all }, (error, result) => resolve({ error, result })));

  test('answers as net.connect asks (one address or all), and refuses a name with any private address', async () => {
    const lookup = guardedLookup('public-only', dns({ good: ['93.184.215.14', '2606:4700::1'], mixed: ['93.184.215.14', '10.0.0.1'], none: [] }));
    expect(await run(lookup, 'good', true)).toEqual({ error: null, result: [{ address: '93.184.215.14', family: 4 }, { address: '2606:4700::1', family: 6 }] });
    expect(await run(lookup, 'good', false)).toEqual({ error: null, result: '93.184.215.14' });
    for (const name of ['mixed', 'none']) expect((await run(lookup, name, true)).error).toBeInstanceOf(AddressRefusedError);
  });
});
