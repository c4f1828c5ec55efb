/**
 * IPv4/IPv6 CIDR matching for EventBridge's `cidr` filter.
 */

function parseIpv4(text: string): bigint | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  let n = 0n;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p) || Number(p) > 255) return undefined;
    n = (n << 8n) | BigInt(Number(p));
  }
  return n;
}

function parseIpv6(text: string): bigint | undefined {
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const groups = (s: string) => (s === '' ? [] : s.split(':'));
  const head = groups(halves[0] ?? '');
  const tail = halves.length === 2 ? groups(halves[1] ?? '') : [];
  const missing = 8 - head.length - tail.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return undefined;
  const all = [...head, ...Array.from({ length: halves.length === 2 ? missing : 0 }, () => '0'), ...tail];
  let n = 0n;
  for (const g of all) {
    if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return undefined;
    n = (n << 16n) | BigInt(Number.parseInt(g, 16));
  }
  return n;
}

/** An address as `{ bits, value }`, or undefined when it is not an IPv4/IPv6 address. */
function parseIp(text: string): { bits: 32 | 128; value: bigint } | undefined {
  if (text.includes(':')) {
    const value = parseIpv6(text);
    return value === undefined ? undefined : { bits: 128, value };
  }
  const value = parseIpv4(text);
  return value === undefined ? undefined : { bits: 32, value };
}

/** A parsed CIDR block, or undefined when `cidr` is not `address/prefix-length`. */
export function parseCidr(cidr: string): { bits: 32 | 128; network: bigint; prefix: number } | undefined {
  const [address = '', prefixText, ...rest] = cidr.split('/');
  if (rest.length > 0 || prefixText === undefined || !/^\d{1,3}$/.test(prefixText)) return undefined;
  const ip = parseIp(address);
  const prefix = Number(prefixText);
  if (!ip || prefix > ip.bits) return undefined;
  const shift = BigInt(ip.bits - prefix);
  return { bits: ip.bits, network: (ip.value >> shift) << shift, prefix };
}

/**
 * True when `address` lies in the CIDR block `cidr` (both IPv4 or both IPv6).
 *
 * @example
 * ```ts
 * cidrContains('10.0.0.0/24', '10.0.0.255'); // true
 * cidrContains('2001:db8::/32', '2001:db8:1::1'); // true
 * ```
 */
export function cidrContains(cidr: string, address: string): boolean {
  const block = parseCidr(cidr);
  const ip = parseIp(address);
  if (!block || !ip || block.bits !== ip.bits) return false;
  const shift = BigInt(block.bits - block.prefix);
  return (ip.value >> shift) << shift === block.network;
}
