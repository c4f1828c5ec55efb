/**
 * Approval links: `<baseUrl>/approvals/<approvalId>?expires=<unix seconds>&signature=<hex>`,
 * signed with HMAC-SHA256. A link names the approval, never the task token; it expires with
 * the approval, and it works once because an approval is decided once.
 *
 * @example
 * ```ts
 * const url = signApprovalLink({ baseUrl: 'http://127.0.0.1:4000', approvalId: 'ap-1', expiresAt }, key);
 * verifyApprovalLink(url, key, new Date()); // { ok: true, approvalId: 'ap-1', expiresAt }
 * ```
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

function signature(approvalId: string, expires: number, key: Uint8Array): string {
  return createHmac('sha256', key).update(`pipewright-approval\n${approvalId}\n${expires}`).digest('hex');
}

/**
 * Signs a link to an approval's review page.
 *
 * @example
 * ```ts
 * signApprovalLink({ baseUrl: 'http://127.0.0.1:4000', approvalId: 'ap-1', expiresAt: '2026-01-09T00:00:00.000Z' }, key);
 * ```
 */
export function signApprovalLink(
  input: { baseUrl: string; approvalId: string; expiresAt: string },
  key: Uint8Array,
): string {
  const expires = Math.floor(Date.parse(input.expiresAt) / 1000);
  const base = input.baseUrl.replace(/\/+$/, '');
  return `${base}/approvals/${encodeURIComponent(input.approvalId)}?expires=${expires}&signature=${signature(input.approvalId, expires, key)}`;
}

/** What {@link verifyApprovalLink} found. */
export type ApprovalLinkCheck =
  | { ok: true; approvalId: string; expiresAt: string }
  | { ok: false; reason: string };

/**
 * Checks a link's signature and expiry (not whether the approval is still pending: the
 * decision itself checks that).
 *
 * @example
 * ```ts
 * const check = verifyApprovalLink(url, key, new Date());
 * if (!check.ok) console.error(check.reason);
 * ```
 */
export function verifyApprovalLink(url: string, key: Uint8Array, now: Date): ApprovalLinkCheck {
  let parsed: URL;
  try {
    parsed = new URL(url, 'http://localhost');
  } catch {
    return { ok: false, reason: 'not a URL' };
  }
  const match = /\/approvals\/([^/]+)$/.exec(parsed.pathname);
  const expires = Number(parsed.searchParams.get('expires'));
  const given = parsed.searchParams.get('signature') ?? '';
  if (!match?.[1] || !Number.isInteger(expires) || !/^[0-9a-f]{64}$/.test(given)) {
    return { ok: false, reason: 'not an approval link (it needs /approvals/<id>, expires and signature)' };
  }
  const approvalId = decodeURIComponent(match[1]);
  const expected = Buffer.from(signature(approvalId, expires, key), 'hex');
  if (!timingSafeEqual(expected, Buffer.from(given, 'hex'))) {
    return { ok: false, reason: 'the link signature is not valid; use the link exactly as it was sent' };
  }
  const expiresAt = new Date(expires * 1000).toISOString();
  if (now.getTime() > expires * 1000) return { ok: false, reason: `the link expired at ${expiresAt}` };
  return { ok: true, approvalId, expiresAt };
}
