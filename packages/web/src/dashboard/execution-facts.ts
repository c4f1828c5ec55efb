/**
 * What the dashboard says about an execution besides its statuses, derived from its view
 * only: the branch it built, its commit, what triggered it and who, how long it took.
 *
 * The branch comes from the trigger when a git event started it (`github:acme/web@refs/heads/main`,
 * a pull request's source branch), else from the `BranchName` its source actions ran with.
 *
 * @example
 * ```ts
 * const facts = executionFacts(view, new Date());
 * facts.branch; // 'main'
 * facts.commit?.revisionId; // '4f2a9c1'
 * ```
 */
import type { ExecutionView, SourceRevision } from '@pipewright/core';
import { spanMs } from './format.ts';

/** The facts. @example `{ branch: 'main', triggerType: 'WebhookV2', who: 'github', durationMs: 5120, ended: true }` */
export interface ExecutionFacts {
  branch?: string;
  commit?: SourceRevision;
  triggerType?: string;
  triggerDetail?: string;
  /** Who or what started it: the user of a manual start, the webhook's provider, the schedule. */
  who?: string;
  /** From start to end (running: to now). */
  durationMs?: number;
  ended: boolean;
}

const OPEN = new Set(['InProgress', 'Stopping', 'NotStarted']);

/**
 * When the execution ended, or `undefined` while it runs. A `Failed` execution of the server
 * or AWS has no `endedAt`: its failed stage waits for an operator's decision (retry, or
 * nothing). It is over until someone retries it, so it ends when its failed stage ended (else
 * at its last event).
 *
 * @example
 * ```ts
 * executionEnd(failedAndWaiting); // '2026-01-05T11:00:30.000Z', the StageFailed event's time
 * ```
 */
export function executionEnd(view: ExecutionView): string | undefined {
  if (OPEN.has(view.status)) return undefined;
  if (view.endedAt !== undefined) return view.endedAt;
  if (view.status !== 'Failed') return undefined;
  const failed = view.stages
    .filter((s) => s.status === 'Failed' && s.endedAt !== undefined)
    .map((s) => s.endedAt as string)
    .sort()
    .at(-1);
  return failed ?? view.updatedAt;
}

function branchOfTrigger(detail: string | undefined): string | undefined {
  if (detail === undefined) return undefined;
  const pushed = /@refs\/heads\/(.+)$/.exec(detail);
  if (pushed?.[1] !== undefined) return pushed[1];
  const pull = /pull request(?: #\d+)? \w+ (\S+) → /.exec(detail);
  return pull?.[1];
}

function branchOfSources(view: ExecutionView): string | undefined {
  for (const stage of view.stages) {
    for (const action of stage.actions) {
      for (const attempt of action.attempts) {
        if (attempt.actionTypeId?.category !== 'Source') continue;
        const branch = attempt.resolvedConfiguration.BranchName;
        if (branch !== undefined && branch !== '') return branch.replace(/^refs\/heads\//, '');
      }
    }
  }
  return undefined;
}

function whoOf(view: ExecutionView): string | undefined {
  const trigger = view.trigger;
  if (trigger === undefined) return undefined;
  switch (trigger.triggerType) {
    case 'StartPipelineExecution':
    case 'ManualRollback':
      return trigger.triggerDetail;
    case 'Schedule':
      return 'schedule';
    case 'WebhookV2':
    case 'Webhook':
    case 'PollForSourceChanges': {
      const provider = trigger.triggerDetail?.split(':')[0];
      return provider === undefined || provider === '' ? undefined : provider;
    }
    case 'CloudWatchEvent':
      return trigger.triggerDetail?.split(' ')[0];
    default:
      return undefined;
  }
}

/**
 * The facts of an execution.
 *
 * @example
 * ```ts
 * executionFacts(view, new Date()).who; // 'alice'
 * ```
 */
export function executionFacts(view: ExecutionView, now: Date): ExecutionFacts {
  const end = executionEnd(view);
  const ended = end !== undefined;
  const facts: ExecutionFacts = { ended };
  const branch = branchOfTrigger(view.trigger?.triggerDetail) ?? branchOfSources(view);
  if (branch !== undefined) facts.branch = branch;
  const commit = view.sourceRevisions.find((r) => r.revisionId !== undefined) ?? view.sourceRevisions[0];
  if (commit !== undefined) facts.commit = commit;
  if (view.trigger !== undefined) {
    facts.triggerType = view.trigger.triggerType;
    if (view.trigger.triggerDetail !== undefined) facts.triggerDetail = view.trigger.triggerDetail;
  }
  const who = whoOf(view);
  if (who !== undefined) facts.who = who;
  const duration = spanMs(view.startedAt, end, now);
  if (duration !== undefined) facts.durationMs = duration;
  return facts;
}
