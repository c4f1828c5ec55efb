/**
 * Starting an execution: the pipeline's variables resolved (defaults and overrides) and the
 * trigger recorded in `PipelineExecutionStarted`, the first event of the execution's stream.
 *
 * @example
 * ```ts
 * const { events } = decideStart({ pipeline, pipelineVersion: 1, executionId: '7f0c', at,
 *   trigger: { triggerType: 'StartPipelineExecution', triggerDetail: 'alice' }, overrides: { DEPLOY_ENV: 'prod' } });
 * ```
 */
import { VariableResolutionError } from '../errors.ts';
import type { EventActor, ExecutionTrigger, SourceRevision } from '../events/event-parts.ts';
import { pipelineExecutionStarted } from '../events/execution-events.ts';
import type { Pipeline } from '../model/pipeline.ts';
import type { ExecutionView } from '../projections/execution-view.ts';
import { resolvePipelineVariables } from '../variables/pipeline-variables.ts';
import type { Decision } from './decision.ts';

/** What {@link decideStart} needs. @example `{ pipeline, pipelineVersion: 1, executionId, at, trigger, overrides: {} }` */
export interface StartInput {
  pipeline: Pipeline;
  pipelineVersion: number;
  executionId: string;
  at: string;
  trigger: ExecutionTrigger;
  /** Values given at start for declared pipeline variables. */
  overrides: Record<string, string>;
  sourceRevisions?: SourceRevision[];
  actor?: EventActor;
  /**
   * Starts a `ROLLBACK` execution of `stageName` to `target` (checked by the caller with
   * `checkRollbackTarget`): the target's variables and source revisions; `overrides` and
   * `sourceRevisions` are ignored.
   */
  rollback?: { target: ExecutionView; stageName: string };
}

/**
 * Decides the start of an execution. Throws `VariableResolutionError` (PW1002) listing every
 * problem with the variables (undeclared override, missing value, too long).
 *
 * @example
 * ```ts
 * decideStart(input).events[0]?.type; // 'PipelineExecutionStarted'
 * ```
 */
export function decideStart(input: StartInput): Decision {
  if (input.rollback !== undefined) return decideRollbackStart(input, input.rollback);
  const { values, errors } = resolvePipelineVariables(input.pipeline.variables ?? [], input.overrides);
  if (errors.length > 0) {
    throw new VariableResolutionError('variables', errors.join('\n'));
  }
  const started = pipelineExecutionStarted({
    executionId: input.executionId,
    at: input.at,
    ...(input.actor === undefined ? {} : { actor: input.actor }),
    pipelineName: input.pipeline.name,
    pipelineExecutionId: input.executionId,
    pipelineVersion: input.pipelineVersion,
    executionMode: input.pipeline.executionMode,
    executionType: 'STANDARD',
    trigger: input.trigger,
    variables: Object.entries(values).map(([name, resolvedValue]) => ({ name, resolvedValue })),
    sourceRevisions: input.sourceRevisions ?? [],
  });
  return { events: [started] };
}

function decideRollbackStart(
  input: StartInput,
  rollback: { target: ExecutionView; stageName: string },
): Decision {
  const { target, stageName } = rollback;
  const started = pipelineExecutionStarted({
    executionId: input.executionId,
    at: input.at,
    ...(input.actor === undefined ? {} : { actor: input.actor }),
    pipelineName: input.pipeline.name,
    pipelineExecutionId: input.executionId,
    pipelineVersion: input.pipelineVersion,
    executionMode: input.pipeline.executionMode,
    executionType: 'ROLLBACK',
    trigger: input.trigger,
    variables: target.variables,
    sourceRevisions: target.sourceRevisions,
    rollbackMetadata: { rollbackTargetPipelineExecutionId: target.pipelineExecutionId, stageName },
  });
  return { events: [started] };
}
