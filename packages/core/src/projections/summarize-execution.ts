/**
 * The row of an execution in lists, shaped like CodePipeline's `PipelineExecutionSummary`
 * (`ListPipelineExecutions`).
 *
 * @example
 * ```ts
 * views.map(summarizeExecution).map((s) => `${s.pipelineExecutionId} ${s.status}`);
 * ```
 */
import type { ExecutionTrigger, SourceRevision } from '../events/event-parts.ts';
import type { ExecutionMode } from '../model/pipeline.ts';
import type { ExecutionView } from './execution-view.ts';

/** One row of `ListPipelineExecutions`. @example `{ pipelineExecutionId: '7f0c', status: 'Succeeded', startTime, lastUpdateTime, sourceRevisions: [] }` */
export interface ExecutionSummary {
  pipelineExecutionId: string;
  status: ExecutionView['status'];
  statusSummary?: string;
  startTime?: string;
  lastUpdateTime?: string;
  sourceRevisions: SourceRevision[];
  trigger?: ExecutionTrigger;
  stopTrigger?: { reason?: string };
  executionMode?: ExecutionMode;
  executionType: 'STANDARD' | 'ROLLBACK';
  rollbackMetadata?: { rollbackTargetPipelineExecutionId: string };
}

/**
 * Summarizes an execution view for lists.
 *
 * @example
 * ```ts
 * summarizeExecution(foldExecution(events)).status; // 'InProgress'
 * ```
 */
export function summarizeExecution(view: ExecutionView): ExecutionSummary {
  const summary: ExecutionSummary = {
    pipelineExecutionId: view.pipelineExecutionId,
    status: view.status,
    sourceRevisions: view.sourceRevisions.map((r) => ({ ...r })),
    executionType: view.executionType,
  };
  if (view.statusSummary !== undefined) summary.statusSummary = view.statusSummary;
  if (view.startedAt !== undefined) summary.startTime = view.startedAt;
  if (view.updatedAt !== undefined) summary.lastUpdateTime = view.updatedAt;
  if (view.trigger !== undefined) summary.trigger = { ...view.trigger };
  if (view.stopTrigger !== undefined) {
    summary.stopTrigger = view.stopTrigger.reason === undefined ? {} : { reason: view.stopTrigger.reason };
  }
  if (view.executionMode !== undefined) summary.executionMode = view.executionMode;
  if (view.rollbackMetadata !== undefined) {
    summary.rollbackMetadata = {
      rollbackTargetPipelineExecutionId: view.rollbackMetadata.rollbackTargetPipelineExecutionId,
    };
  }
  return summary;
}
