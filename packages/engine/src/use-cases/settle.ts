/**
 * Settle an execution: answer the waiting action tasks whose attempts ended elsewhere (an
 * approval decided by another process), naming those whose task had already closed — Step
 * Functions answers `TaskTimedOut` once a task timed out or its execution stopped: the decision
 * is in the log, but the execution does not continue from it.
 *
 * @example
 * ```ts
 * const { closed } = await settle(log, executionId);
 * if (closed.length > 0) console.log('the pipeline stopped waiting for', closed);
 * ```
 */
import { type ExecutionView, replyFor } from '@pipewright/core';
import type { ExecutionLog } from '../execution-log.ts';
import { taskKey } from '../ports/task-tokens.ts';

/** What {@link settle} did. @example `{ view, closed: [{ stageName: 'Approve', actionName: 'Release' }] }` */
export interface SettleReport {
  view: ExecutionView;
  /** Actions whose answer found their task closed (timed out, stopped). */
  closed: { stageName: string; actionName: string }[];
}

/**
 * Answers what this process holds and can answer now.
 *
 * @example
 * ```ts
 * const { view } = await settle(log, executionId);
 * ```
 */
export async function settle(log: ExecutionLog, executionId: string): Promise<SettleReport> {
  const view = await log.view(executionId);
  const closed: SettleReport['closed'] = [];
  for (const stage of view.stages) {
    for (const action of stage.actions) {
      const last = action.attempts.at(-1);
      const reply = replyFor(last);
      if (last === undefined || reply === undefined) continue;
      const task = {
        executionId,
        kind: 'action',
        stage: stage.stageName,
        action: action.actionName,
        attempt: last.stageAttempt,
      };
      if ((await log.tokens.get(taskKey(task))) === undefined) continue;
      if ((await log.reply(task, reply)) === 'closed')
        closed.push({ stageName: stage.stageName, actionName: action.actionName });
    }
  }
  return { view, closed };
}
