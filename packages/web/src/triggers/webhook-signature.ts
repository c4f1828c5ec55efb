/**
 * GitHub's webhook signature: `X-Hub-Signature-256: sha256=<hex>`, the HMAC-SHA256 of the raw
 * body with the webhook's secret. Checked with Web Crypto (`crypto.subtle.verify`, which compares
 * in constant time), so the check runs on Node and in a Lambda alike.
 */

/** The header GitHub signs deliveries in. */
export const SIGNATURE_HEADER = 'X-Hub-Signature-256';

function fromHex(hex: string): Uint8Array | undefined {
  if (!/^[0-9a-f]{64}$/i.test(hex)) return undefined;
  const out = new Uint8Array(32);
  for (let i = 0; i < 32; i++) out[i] = Number.parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return out;
}

function toHex(bytes: ArrayBuffer): string {
  return [...new Uint8Array(bytes)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

function hmacKey(secret: string, usage: 'sign' | 'verify') {
  return crypto.subtle.importKey(
    'raw',
    new TextEncoder().encode(secret),
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    [usage],
  );
}

/**
 * Whether `header` is the right `sha256=<hex>` signature of `body` with `secret`.
 *
 * @example
 * ```ts
 * await verifyWebhookSignature('s3cret', body, c.req.header('X-Hub-Signature-256')); // true or false
 * ```
 */
export async function verifyWebhookSignature(
  secret: string,
  body: Uint8Array<ArrayBuffer>,
  header: string | undefined,
): Promise<boolean> {
  const match = /^sha256=([0-9a-f]+)$/i.exec(header?.trim() ?? '');
  const signature = match?.[1] === undefined ? undefined : fromHex(match[1]);
  if (signature === undefined) return false;
  return crypto.subtle.verify('HMAC', await hmacKey(secret, 'verify'), signature, body);
}

/**
 * The `X-Hub-Signature-256` value GitHub would send for `body` (for tests and tools that deliver webhooks).
 *
 * @example
 * ```ts
 * await signWebhook('s3cret', '{"zen":"Keep it simple."}'); // 'sha256=…'
 * ```
 */
export async function signWebhook(secret: string, body: string | Uint8Array<ArrayBuffer>): Promise<string> {
  const bytes = typeof body === 'string' ? new TextEncoder().encode(body) : body;
  return `sha256=${toHex(await crypto.subtle.sign('HMAC', await hmacKey(secret, 'sign'), bytes))}`;
}
