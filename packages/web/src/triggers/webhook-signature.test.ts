import { describe, expect, it } from 'vitest';
import { signWebhook, verifyWebhookSignature } from './webhook-signature.ts';

// GitHub's documented example (docs: "Validating webhook deliveries").
const SECRET = "It's a Secret to Everybody";
const BODY = 'Hello, World!';
const SIGNATURE = 'sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17';
const bytes = (text: string) => new TextEncoder().encode(text);

describe('signWebhook', () => {
  it('signs as GitHub does', async () => {
    expect(await signWebhook(SECRET, BODY)).toBe(SIGNATURE);
  });
});

describe('verifyWebhookSignature', () => {
  it('accepts the right signature, in either case', async () => {
    expect(await verifyWebhookSignature(SECRET, bytes(BODY), SIGNATURE)).toBe(true);
    expect(
      await verifyWebhookSignature(SECRET, bytes(BODY), SIGNATURE.toUpperCase().replace('SHA256', 'sha256')),
    ).toBe(true);
  });

  it('refuses another body, another secret, and malformed or missing headers', async () => {
    expect(await verifyWebhookSignature(SECRET, bytes('Hello, World?'), SIGNATURE)).toBe(false);
    expect(await verifyWebhookSignature('other', bytes(BODY), SIGNATURE)).toBe(false);
    for (const header of [
      undefined,
      '',
      SIGNATURE.slice(0, -2),
      SIGNATURE.replace('sha256=', 'sha1='),
      `${SIGNATURE}00`,
    ]) {
      expect(await verifyWebhookSignature(SECRET, bytes(BODY), header), String(header)).toBe(false);
    }
  });
});
