/**
 * The text of `pipewright show`: the execution's header, then each stage with its actions —
 * status, attempt, duration, error, output variables and artifacts — and its approvals.
 * Renders any view the fold produces, including an execution whose process died mid-run
 * (actions `InProgress` without an end) and stages it never reached (`NotStarted`).
 *
 * @example
 * ```ts
 * for (const line of renderExecution(readExecution(store, id).view, c)) say(line);
 * ```
 */
import type { ActionAttemptView, ActionView, ApprovalView, ExecutionView, StageView } from '@pipewright/core';
import { revisionText, triggerText } from './execution-list.ts';
import { firstLine, formatBytes, shortSha, tookText } from './format.ts';
import { type Colors, statusIcon, statusText } from './status.ts';

const INDENT_ACTION = '    ';
const INDENT_DETAIL = '        ';

/**
 * The lines `pipewright show` prints for an execution.
 *
 * @example
 * ```ts
 * renderExecution(view, c)[0]; // 'web-app (version 1) · execution 119c7765-…'
 * ```
 */
export function renderExecution(view: ExecutionView, c: Colors): string[] {
  const lines = header(view, c);
  for (const stage of view.stages) lines.push('', ...stageLines(view, stage, c));
  lines.push('', c.dim(hint(view)));
  return lines;
}

function header(view: ExecutionView, c: Colors): string[] {
  const version = view.pipelineVersion === undefined ? '' : ` (version ${view.pipelineVersion})`;
  const label = (text: string) => c.dim(text.padEnd(11));
  const summary = view.statusSummary ? `: ${firstLine(view.statusSummary)}` : '';
  const lines = [
    `${c.bold(view.pipelineName || '(unknown pipeline)')}${version} · execution ${view.pipelineExecutionId}`,
    `${label('Status')}${statusText(view.status, c)}${summary}`,
  ];
  if (view.executionType === 'ROLLBACK' && view.rollbackMetadata) {
    lines.push(`${label('Rollback')}to execution ${view.rollbackMetadata.rollbackTargetPipelineExecutionId}`);
  }
  lines.push(`${label('Trigger')}${triggerText(view.trigger)}`);
  if (view.startedAt) lines.push(`${label('Started')}${view.startedAt}`);
  lines.push(
    view.endedAt
      ? `${label('Ended')}${view.endedAt} (took ${tookText(view.startedAt, view.endedAt)})`
      : `${label('Ended')}not ended${view.updatedAt ? ` (last event ${view.updatedAt})` : ''}`,
  );
  if (view.stopTrigger) {
    const why = view.stopTrigger.reason ? `: ${view.stopTrigger.reason}` : '';
    lines.push(`${label('Stopped')}${view.stopTrigger.abandon ? 'abandon' : 'finish running actions'}${why}`);
  }
  if (view.supersededBy) lines.push(`${label('Superseded')}by execution ${view.supersededBy}`);
  for (const r of view.sourceRevisions)
    lines.push(`${label('Revision')}${r.actionName}: ${revisionText({ sourceRevisions: [r] }, 80)}`);
  lines.push(
    `${label('Variables')}${view.variables.length ? view.variables.map((v) => `${v.name}=${v.resolvedValue}`).join(' ') : c.dim('none')}`,
  );
  return lines;
}

function stageLines(view: ExecutionView, stage: StageView, c: Colors): string[] {
  const parts = [`${statusIcon(stage.status, c)} ${c.bold(stage.stageName)}`, statusText(stage.status, c)];
  if (stage.stageAttempt > 0) parts.push(`attempt ${stage.stageAttempt + 1}`);
  const took = tookText(stage.startedAt, stage.endedAt);
  if (took) parts.push(took);
  const lines = [parts.join('  ')];
  const detail = (text: string) => lines.push(`${INDENT_ACTION}${text}`);
  if (stage.waiting)
    detail(
      c.yellow(
        `waiting at the ${stage.waiting.gate} gate since ${stage.waiting.since}: ${stage.waiting.reason}`,
      ),
    );
  if (stage.skipReason) detail(c.dim(`skipped: ${stage.skipReason}`));
  if (stage.error) detail(c.red(`error: ${stage.error.code}: ${firstLine(stage.error.message)}`));
  for (const retry of stage.retries) {
    detail(
      c.dim(
        `retried (${retry.retryMode}${retry.automatic ? ', automatic' : ''}) at ${retry.at}${retry.actor ? ` by ${retry.actor.id}` : ''}`,
      ),
    );
  }
  for (const cond of stage.conditions) {
    detail(c.dim(`condition ${cond.conditionType}: ${cond.status}${cond.result ? ` (${cond.result})` : ''}`));
  }
  for (const action of stage.actions) {
    lines.push(...actionLines(action, c));
    const approvals = view.approvals.filter(
      (a) => a.stageName === stage.stageName && a.actionName === action.actionName,
    );
    for (const approval of approvals) lines.push(`${INDENT_DETAIL}${approvalText(approval, c)}`);
  }
  return lines;
}

function actionLines(action: ActionView, c: Colors): string[] {
  const last: ActionAttemptView | undefined = action.attempts.at(-1);
  const parts = [
    `${INDENT_ACTION}${statusIcon(action.status, c)} ${action.actionName}`,
    statusText(action.status, c),
  ];
  if (last) {
    const took = tookText(last.startedAt, last.endedAt);
    if (took) parts.push(took);
    if (action.attempts.length > 1) parts.push(`${action.attempts.length} attempts`);
  }
  const lines = [parts.join('  ')];
  if (!last) return lines;
  const detail = (text: string) => lines.push(`${INDENT_DETAIL}${text}`);
  if (last.error) detail(c.red(`error: ${last.error.code}: ${firstLine(last.error.message)}`));
  else if (last.summary) detail(c.dim(firstLine(last.summary)));
  const vars = Object.entries(last.outputVariables);
  if (vars.length) detail(`variables: ${vars.map(([k, v]) => `${k}=${firstLine(v, 60)}`).join(' ')}`);
  for (const a of last.outputArtifacts) {
    const files = a.files === undefined ? '' : `, ${a.files} file${a.files === 1 ? '' : 's'}`;
    detail(`artifact: ${a.name} ${formatBytes(a.size)}${files} sha256:${shortSha(a.sha256)}`);
  }
  if (last.externalExecutionUrl) detail(c.dim(`link: ${last.externalExecutionUrl}`));
  return lines;
}

function approvalText(a: ApprovalView, c: Colors): string {
  const parts = [`approval ${statusText(a.status, c)}`];
  if (a.decidedBy) parts.push(`by ${a.decidedBy.id}`);
  if (a.decidedAt) parts.push(`at ${a.decidedAt}`);
  if (a.summary) parts.push(`"${firstLine(a.summary)}"`);
  if (a.expiresAt) parts.push(c.dim(`(${a.status === 'Expired' ? 'expired' : 'expires'} ${a.expiresAt})`));
  return parts.join(' ');
}

function hint(view: ExecutionView): string {
  const id = view.pipelineExecutionId;
  const failed = view.stages.flatMap((s) =>
    s.actions.filter((a) => a.status === 'Failed').map((a) => `${s.stageName}/${a.actionName}`),
  );
  const action = failed[0] ?? '<Stage/Action>';
  return `Logs: pipewright logs ${id} ${action}   Events: pipewright events ${id}`;
}
