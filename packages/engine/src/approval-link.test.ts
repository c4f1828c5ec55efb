import { describe, expect, it } from 'vitest';
import { signApprovalLink, verifyApprovalLink } from './approval-link.ts';

const key = new Uint8Array(32).fill(7);
const expiresAt = '2026-01-09T00:00:00.000Z';
const before = new Date('2026-01-08T23:59:59.000Z');
const link = (approvalId = 'ap-1') =>
  signApprovalLink({ baseUrl: 'http://127.0.0.1:4000/', approvalId, expiresAt }, key);

describe('signApprovalLink', () => {
  it('names the approval, its expiry and a signature under the base URL', () => {
    expect(link()).toMatch(
      /^http:\/\/127\.0\.0\.1:4000\/approvals\/ap-1\?expires=1767916800&signature=[0-9a-f]{64}$/,
    );
  });
});

describe('verifyApprovalLink', () => {
  it('accepts the link it signed, before it expires', () => {
    expect(verifyApprovalLink(link('ap 1/x'), key, before)).toEqual({
      ok: true,
      approvalId: 'ap 1/x',
      expiresAt,
    });
  });

  it('rejects a tampered signature', () => {
    // Prepare
    const url = link();
    const last = url.at(-1) === '0' ? '1' : '0';
    // Act
    const check = verifyApprovalLink(`${url.slice(0, -1)}${last}`, key, before);
    // Assess
    expect(check).toEqual({ ok: false, reason: expect.stringContaining('signature is not valid') });
  });

  it('rejects a link whose approval id was changed', () => {
    const check = verifyApprovalLink(link().replace('/approvals/ap-1', '/approvals/ap-2'), key, before);
    expect(check).toMatchObject({ ok: false, reason: expect.stringContaining('signature is not valid') });
  });

  it('rejects a link whose expiry was pushed back', () => {
    const check = verifyApprovalLink(link().replace('expires=1767916800', 'expires=1767920400'), key, before);
    expect(check).toMatchObject({ ok: false, reason: expect.stringContaining('signature is not valid') });
  });

  it('rejects a link signed with another key', () => {
    const check = verifyApprovalLink(link(), new Uint8Array(32).fill(8), before);
    expect(check.ok).toBe(false);
  });

  it('rejects an expired link, saying when it expired', () => {
    const check = verifyApprovalLink(link(), key, new Date('2026-01-09T00:00:01.000Z'));
    expect(check).toEqual({ ok: false, reason: `the link expired at ${expiresAt}` });
  });

  it('rejects what is not an approval link', () => {
    expect(verifyApprovalLink('http://127.0.0.1:4000/executions/x', key, before)).toMatchObject({
      ok: false,
    });
  });
});
