/**
 * From a signed link to its approval: the signature and expiry checked first (a link that is
 * not valid tells nothing about the approval), then the execution the approval id names, read
 * from the log.
 *
 * @example
 * ```ts
 * const found = await findLinkedApproval(deps, approvalId, { expires, signature }, now);
 * if (found.kind === 'found') found.approval.status; // 'Pending'
 * ```
 */
import type { ApprovalView, ExecutionView } from '@pipewright/core';
import {
  executionOfApproval,
  readExecution,
  UnknownExecutionError,
  verifyApprovalLink,
} from '@pipewright/engine';
import type { WebDeps } from '../deps.ts';

/** The credential part of an approval link. @example `{ expires: '1767916800', signature: '9f…' }` */
export interface LinkCredential {
  expires: string;
  signature: string;
}

/** What {@link findLinkedApproval} found. @example `{ kind: 'forbidden', reason: 'the link expired at …' }` */
export type LinkedApproval =
  | { kind: 'forbidden'; reason: string }
  | { kind: 'unknown'; approvalId: string }
  | { kind: 'found'; approval: ApprovalView; view: ExecutionView; expiresAt: string };

/**
 * The link's path and query, as signed.
 *
 * @example
 * ```ts
 * linkPath('7f0c.a1', { expires: '1767916800', signature: 'ab12…' }); // '/approvals/7f0c.a1?expires=1767916800&signature=ab12…'
 * ```
 */
export function linkPath(approvalId: string, link: LinkCredential): string {
  return `/approvals/${encodeURIComponent(approvalId)}?expires=${encodeURIComponent(link.expires)}&signature=${encodeURIComponent(link.signature)}`;
}

/**
 * Checks the link and finds its approval.
 *
 * @example
 * ```ts
 * await findLinkedApproval(deps, '7f0c.a1', { expires: '0', signature: '' }, new Date()); // { kind: 'forbidden', … }
 * ```
 */
export async function findLinkedApproval(
  deps: WebDeps,
  approvalId: string,
  link: LinkCredential,
  now: Date,
): Promise<LinkedApproval> {
  const check = verifyApprovalLink(linkPath(approvalId, link), deps.approvalKey, now);
  if (!check.ok) return { kind: 'forbidden', reason: check.reason };
  const executionId = executionOfApproval(approvalId);
  if (executionId === undefined) return { kind: 'unknown', approvalId };
  try {
    const { view } = await readExecution(deps.store, executionId);
    const approval = view.approvals.find((a) => a.approvalId === approvalId);
    if (approval === undefined) return { kind: 'unknown', approvalId };
    return { kind: 'found', approval, view, expiresAt: check.expiresAt };
  } catch (e) {
    if (e instanceof UnknownExecutionError) return { kind: 'unknown', approvalId };
    throw e;
  }
}
