/**
 * Deciding an approval needs a verified identity that the users file allows for that action
 * (CodePipeline's `PutApprovalResult` on the action, as an IAM policy would allow it). The
 * check runs before anything is appended: a refused decision appends nothing.
 *
 * @example
 * ```ts
 * const request = await authorizeDecision(deps, identity, { executionId, status: 'Approved', actor }, at);
 * await recordApprovalDecision(deps.store, request, at);
 * ```
 */
import { type ApprovalDecisionInput, decideApproval } from '@pipewright/core';
import { readExecution } from '@pipewright/engine';
import type { WebDeps } from '../deps.ts';
import { WebError } from '../errors.ts';
import { type Identity, identityActor } from './identity.ts';
import { UserDirectory } from './user-directory.ts';

const directories = new WeakMap<WebDeps, UserDirectory>();

/**
 * The server's users: `deps.users`, or — where no users file is served — the server's own
 * token alone.
 *
 * @example
 * ```ts
 * directoryOf(deps).byToken(token);
 * ```
 */
export function directoryOf(deps: WebDeps): UserDirectory {
  if (deps.users !== undefined) return deps.users;
  let found = directories.get(deps);
  if (found === undefined) {
    found = new UserDirectory({ users: [], approvals: [] }, deps.apiToken);
    directories.set(deps, found);
  }
  return found;
}

/**
 * Checks that `identity` may decide the approval the request names (or the only one waiting),
 * and returns the request pinned to that approval, with the identity as its actor. Throws
 * `WebError('Forbidden')` when it may not; the engine's errors when there is nothing to decide.
 *
 * @example
 * ```ts
 * await authorizeDecision(deps, bob, { executionId, status: 'Rejected' }, new Date().toISOString());
 * ```
 */
export async function authorizeDecision(
  deps: WebDeps,
  identity: Identity,
  request: Omit<ApprovalDecisionInput, 'actor'> & { executionId: string },
  at: string,
): Promise<ApprovalDecisionInput & { executionId: string }> {
  const actor = identityActor(identity);
  const { view } = await readExecution(deps.store, request.executionId);
  const { ref, approval } = decideApproval(view, { ...request, actor }, { at });
  const target = { pipeline: view.pipelineName, stageName: ref.stageName, actionName: ref.actionName };
  if (!directoryOf(deps).mayDecide(identity, target)) {
    throw new WebError(
      'Forbidden',
      `${identity.user} may not decide the approval ${target.pipeline}/${target.stageName}/${target.actionName}: it needs the approver role and, where the users file has approval rules for it, to be one of the users or groups they name. Nothing was recorded.`,
    );
  }
  return { ...request, actor, approvalId: approval.approvalId };
}
