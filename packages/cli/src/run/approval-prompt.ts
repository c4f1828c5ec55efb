/**
 * What `pipewright run` does when an approval is requested: print its signed link, then either
 * decide it at once (`--approve` / `--reject`) or say how to decide it from another terminal.
 */
import type { ApprovalRequest } from '@pipewright/engine';
import type { LocalRuntime } from '@pipewright/local';
import type { palette } from '../io.ts';

/**
 * What {@link approvalPrompt} needs.
 *
 * @example
 * ```ts
 * const options: ApprovalPromptOptions = { say, c, user: 'alice', pending: [], runtime: () => runtime };
 * ```
 */
export interface ApprovalPromptOptions {
  say: (line: string) => void;
  c: ReturnType<typeof palette>;
  /** `--approve` or `--reject`; undefined to wait for a decision made elsewhere. */
  decision?: 'Approved' | 'Rejected';
  /** `--comment`. */
  comment?: string;
  user: string;
  /** Decisions in flight: the run waits for them before it reports. */
  pending: Promise<unknown>[];
  /** The runtime, once it is open. */
  runtime: () => LocalRuntime | undefined;
}

/**
 * The `onApprovalRequested` callback of a one-shot run.
 *
 * @example
 * ```ts
 * const onApprovalRequested = approvalPrompt({ say, c, decision: 'Approved', user, pending, runtime: () => runtime });
 * ```
 */
export function approvalPrompt(options: ApprovalPromptOptions): (request: ApprovalRequest) => void {
  const { say, c, decision, comment, user, pending } = options;
  return (request) => {
    const runtime = options.runtime();
    const link = runtime?.approvalLink(request.approvalId, request.expiresAt) ?? '';
    const pad = ' '.repeat(13);
    if (request.customData) say(`${pad}${c.dim('Comments:')} ${request.customData}`);
    if (request.externalEntityLink) say(`${pad}${c.dim('Review:  ')} ${request.externalEntityLink}`);
    say(`${pad}${c.dim('Link:    ')} ${link}`);
    say(`${pad}${c.dim(`(signed; expires ${request.expiresAt}; works once; opens in "pipewright serve")`)}`);
    if (decision === undefined) {
      say(`${pad}Decide with: pipewright approve ${request.executionId} [--comment TEXT]`);
      say(`${pad}         or: pipewright reject ${request.executionId} [--comment TEXT]`);
      return;
    }
    const decided = runtime?.engine.decideApproval({
      executionId: request.executionId,
      approvalId: request.approvalId,
      status: decision,
      summary:
        comment ??
        `${decision.toLowerCase()} with pipewright run --${decision === 'Approved' ? 'approve' : 'reject'}`,
      actor: { kind: 'user', id: user },
    });
    if (decided) pending.push(decided.catch((e: Error) => say(`${pad}${c.red(e.message)}`)));
  };
}
