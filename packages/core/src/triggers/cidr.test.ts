import { describe, expect, it } from 'vitest';
import { cidrContains, parseCidr } from './cidr.ts';

describe('cidrContains', () => {
  it.each([
    ['10.0.0.0/24', '10.0.0.1', true],
    ['10.0.0.0/24', '10.0.1.1', false],
    ['0.0.0.0/0', '192.168.1.1', true],
    ['192.168.1.7/32', '192.168.1.7', true],
    ['192.168.1.7/32', '192.168.1.8', false],
    ['2001:db8::/32', '2001:db8:ffff::1', true],
    ['2001:db8::/32', '2001:db9::1', false],
    ['::1/128', '::1', true],
    ['10.0.0.0/8', '::ffff', false],
    ['10.0.0.0/8', '10.0.0.256', false],
  ])('%s contains %s: %s', (cidr, address, expected) => {
    expect(cidrContains(cidr, address)).toBe(expected);
  });
});

describe('parseCidr', () => {
  it.each(['10.0.0.0', '10.0.0.0/33', '1.2.3/8', '::1::/64', 'x/1', '2001:db8::/129'])(
    'rejects %s',
    (cidr) => {
      expect(parseCidr(cidr)).toBeUndefined();
    },
  );
});
