import { describe, expect, it } from 'vitest';
import { addressBlock } from './rate-limit.ts';

describe('the address block a client is counted under', () => {
  it('is the IPv4 address itself, also when written as IPv4-mapped IPv6', () => {
    expect(addressBlock('203.0.113.7')).toBe('203.0.113.7');
    expect(addressBlock('::ffff:203.0.113.7')).toBe('203.0.113.7');
    expect(addressBlock('::FFFF:198.51.100.1')).toBe('198.51.100.1');
  });

  it('is the /64 of an IPv6 address, however it is written', () => {
    const block = '2001:db8:0:1::/64';
    for (const ip of [
      '2001:db8:0:1::1',
      '2001:db8:0:1:ffff:ffff:ffff:ffff',
      '2001:0DB8:0000:0001:0000:0000:0000:0042',
      '2001:db8::1:0:0:0:42',
      'fe80::1%eth0'.replace('fe80::1', '2001:db8:0:1::9'),
    ])
      expect(addressBlock(ip), ip).toBe(block);
    expect(addressBlock('2001:db8:0:2::1')).toBe('2001:db8:0:2::/64');
    expect(addressBlock('::1')).toBe('0:0:0:0::/64');
    expect(addressBlock('64:ff9b::192.0.2.1')).toBe('64:ff9b:0:0::/64');
  });

  it('leaves what is not an address unchanged', () => {
    for (const odd of ['unknown', '1::2::3', '2001:db8:zz::1', '1:2:3:4:5:6:7:8:9', ''])
      expect(addressBlock(odd)).toBe(odd);
  });
});
