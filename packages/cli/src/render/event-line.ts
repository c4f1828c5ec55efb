/**
 * The text of `pipewright events`: one line per stored event — seq, time, type and a short
 * summary of its data (stage/action, attempt, status, error code, reason, who).
 *
 * @example
 * ```ts
 * records.map((r) => renderEventLine(r, width, c));
 * // ['   3  2026-11-23T13:01:32.923Z  ActionStarted   Source/Checkout']
 * ```
 */
import type { EventRecord } from '@pipewright/core';
import { firstLine } from './format.ts';
import { type Colors, statusText } from './status.ts';

interface Data {
  pipelineName?: unknown;
  pipelineVersion?: unknown;
  trigger?: { triggerType?: unknown; triggerDetail?: unknown };
  stageName?: unknown;
  actionName?: unknown;
  stageAttempt?: unknown;
  attempt?: unknown;
  status?: unknown;
  error?: { code?: unknown };
  gate?: unknown;
  reason?: unknown;
  conditionType?: unknown;
  result?: unknown;
  retryMode?: unknown;
  summary?: unknown;
  expiresAt?: unknown;
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v.length > 0 ? v : undefined);

/**
 * A short summary of an event's data: what it is about and the essentials of what happened.
 *
 * @example
 * ```ts
 * eventSummary({ type: 'ActionFailed', data: { stageName: 'Test', actionName: 'Unit', stageAttempt: 0, attempt: 1, error: { code: 'JobFailed', message } } } as EventRecord);
 * // 'Test/Unit JobFailed'
 * ```
 */
export function eventSummary(record: EventRecord, c?: Colors): string {
  const d = (record.data ?? {}) as Data;
  const parts: string[] = [];
  const pipeline = str(d.pipelineName);
  if (pipeline)
    parts.push(`${pipeline}${typeof d.pipelineVersion === 'number' ? ` v${d.pipelineVersion}` : ''}`);
  const trigger = str(d.trigger?.triggerType);
  if (trigger) parts.push(`trigger ${trigger}`);
  const stage = str(d.stageName);
  const action = str(d.actionName);
  if (stage) parts.push(action ? `${stage}/${action}` : stage);
  else if (action) parts.push(action);
  const attempts: string[] = [];
  if (typeof d.stageAttempt === 'number' && d.stageAttempt > 0)
    attempts.push(`stage attempt ${d.stageAttempt + 1}`);
  if (typeof d.attempt === 'number' && d.attempt > 1) attempts.push(`attempt ${d.attempt}`);
  if (attempts.length) parts.push(`(${attempts.join(', ')})`);
  const condition = str(d.conditionType);
  if (condition) parts.push(condition);
  const status = str(d.status);
  if (status) parts.push(c ? statusText(status, c) : status);
  const result = str(d.result);
  if (result) parts.push(result);
  const retry = str(d.retryMode);
  if (retry) parts.push(retry);
  const gate = str(d.gate);
  if (gate) parts.push(`gate ${gate}`);
  const code = str(d.error?.code);
  if (code) parts.push(c ? c.red(code) : code);
  const reason = str(d.reason);
  if (reason) parts.push(`"${firstLine(reason, 80)}"`);
  if (record.actor?.kind === 'user') parts.push(`by ${record.actor.id}`);
  return parts.join(' ');
}

/**
 * One line of `pipewright events`: seq (right-aligned to `seqWidth`), time, type padded to
 * `typeWidth`, summary.
 *
 * @example
 * ```ts
 * renderEventLine(record, 2, 24, c); // ' 1  2026-11-23T13:01:32.905Z  PipelineExecutionStarted  web-app v1 trigger StartPipelineExecution'
 * ```
 */
export function renderEventLine(record: EventRecord, seqWidth: number, typeWidth: number, c: Colors): string {
  const summary = eventSummary(record, c);
  const type = summary ? record.type.padEnd(typeWidth) : record.type;
  return `${String(record.seq).padStart(seqWidth)}  ${c.dim(record.at)}  ${type}${summary ? `  ${summary}` : ''}`;
}
