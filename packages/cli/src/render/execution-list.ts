/**
 * The text of `pipewright executions`: one row per execution, newest first — id, status,
 * start, duration, trigger and first source revision — and the cursor of the next page.
 *
 * @example
 * ```ts
 * for (const line of renderExecutionList('web-app', rows, page.nextCursor, c)) say(line);
 * ```
 */
import type { ExecutionSummary, ExecutionTrigger } from '@pipewright/core';
import { columns, firstLine, formatDuration, shortRevision } from './format.ts';
import { type Colors, statusText } from './status.ts';

/** A row of the list: the execution's summary and how long it took (when it ended). @example `{ ...summarizeExecution(view), durationMs: 1018 }` */
export type ExecutionRow = ExecutionSummary & { durationMs?: number };

/**
 * The trigger as one phrase: its type, then its detail in parentheses.
 *
 * @example
 * ```ts
 * triggerText({ triggerType: 'StartPipelineExecution', triggerDetail: 'alice' }); // 'StartPipelineExecution (alice)'
 * ```
 */
export function triggerText(trigger: ExecutionTrigger | undefined): string {
  if (trigger === undefined) return '-';
  return trigger.triggerDetail ? `${trigger.triggerType} (${trigger.triggerDetail})` : trigger.triggerType;
}

/**
 * The first source revision as `<short commit> <summary>`, or `-`.
 *
 * @example
 * ```ts
 * revisionText(summary); // 'af9130a Initial commit of the web-app example'
 * ```
 */
export function revisionText(summary: Pick<ExecutionSummary, 'sourceRevisions'>, max = 50): string {
  const first = summary.sourceRevisions[0];
  if (first === undefined) return '-';
  const id = first.revisionId === undefined ? first.actionName : shortRevision(first.revisionId);
  return first.revisionSummary ? `${id} ${firstLine(first.revisionSummary, max)}` : id;
}

/**
 * The lines `pipewright executions` prints.
 *
 * @example
 * ```ts
 * renderExecutionList('web-app', [], undefined, c); // ['web-app has no executions yet; start one with "pipewright run <pipeline file>"']
 * ```
 */
export function renderExecutionList(
  pipeline: string,
  rows: readonly ExecutionRow[],
  nextCursor: string | undefined,
  c: Colors,
): string[] {
  if (rows.length === 0 && nextCursor === undefined) {
    return [`${pipeline} has no executions yet; start one with "pipewright run <pipeline file>"`];
  }
  const table = columns([
    ['EXECUTION', 'STATUS', 'STARTED', 'DURATION', 'TRIGGER', 'SOURCE'].map((h) => c.dim(h)),
    ...rows.map((r) => [
      r.pipelineExecutionId,
      statusText(r.status, c),
      r.startTime ?? '-',
      r.durationMs === undefined
        ? r.status === 'InProgress'
          ? 'not ended'
          : '-'
        : formatDuration(r.durationMs),
      triggerText(r.trigger),
      revisionText(r),
    ]),
  ]);
  const lines = [
    c.bold(`${pipeline} · ${rows.length} execution${rows.length === 1 ? '' : 's'}, newest first`),
    ...table,
  ];
  if (nextCursor !== undefined) lines.push(c.dim(`more: --cursor ${nextCursor}`));
  return lines;
}
