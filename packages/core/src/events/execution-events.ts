/**
 * Execution events: an execution's start and how it ended. Stream `execution-<executionId>`.
 *
 * @example
 * ```ts
 * const e = executionSucceeded({ executionId: '7f0c', at: '2026-01-02T03:04:05.000Z' });
 * e.id; // '7f0c:ExecutionSucceeded'
 * ```
 */
import * as z from 'zod';
import { EXECUTION_MODES } from '../model/pipeline.ts';
import {
  type EventEnvelope,
  type ExecutionEventContext,
  envelopeSchema,
  type NewEvent,
  newExecutionEvent,
} from './event-envelope.ts';
import {
  ErrorDetailsSchema,
  ExecutionTriggerSchema,
  ResolvedVariableSchema,
  SourceRevisionSchema,
} from './event-parts.ts';

/** CodePipeline's `executionType`. @example `EXECUTION_TYPES[1]; // 'ROLLBACK'` */
export const EXECUTION_TYPES = ['STANDARD', 'ROLLBACK'] as const;

/**
 * Data of `PipelineExecutionStarted`: the first event of every execution stream.
 *
 * @example
 * ```ts
 * PipelineExecutionStartedDataSchema.parse({ pipelineName: 'web-app', pipelineExecutionId: '7f0c',
 *   pipelineVersion: 3, executionMode: 'SUPERSEDED', executionType: 'STANDARD',
 *   trigger: { triggerType: 'StartPipelineExecution' }, variables: [], sourceRevisions: [] });
 * ```
 */
export const PipelineExecutionStartedDataSchema = z.object({
  pipelineName: z.string().min(1),
  pipelineExecutionId: z.string().min(1),
  /** The pipeline's structure version this execution runs. */
  pipelineVersion: z.int().positive(),
  executionMode: z.enum(EXECUTION_MODES),
  executionType: z.enum(EXECUTION_TYPES),
  trigger: ExecutionTriggerSchema,
  /** Pipeline-level variables resolved for this execution (defaults and overrides). */
  variables: z.array(ResolvedVariableSchema),
  /** Revisions known at start (a webhook's commit, a `sourceRevisions` override). */
  sourceRevisions: z.array(SourceRevisionSchema),
  /** For `ROLLBACK` executions: the execution whose revisions and artifacts are redeployed. */
  rollbackMetadata: z
    .object({ rollbackTargetPipelineExecutionId: z.string().min(1), stageName: z.string().optional() })
    .optional(),
});
/** @see PipelineExecutionStartedDataSchema @example `started.data.trigger.triggerType` */
export type PipelineExecutionStartedData = z.infer<typeof PipelineExecutionStartedDataSchema>;
/** An execution started. @example `if (e.type === 'PipelineExecutionStarted') e.data.pipelineVersion` */
export type PipelineExecutionStarted = EventEnvelope<
  'PipelineExecutionStarted',
  PipelineExecutionStartedData
>;

/** Data of `ExecutionSucceeded` (none). @example `{}` */
export const ExecutionSucceededDataSchema = z.object({});
/** The last stage succeeded. @example `executionSucceeded({ executionId, at })` */
export type ExecutionSucceeded = EventEnvelope<
  'ExecutionSucceeded',
  z.infer<typeof ExecutionSucceededDataSchema>
>;

/** Data of `ExecutionFailed`: the failed stage, when one, and the error. @example `{ stageName: 'Build', error }` */
export const ExecutionFailedDataSchema = z.object({
  stageName: z.string().optional(),
  error: ErrorDetailsSchema,
});
/** The execution ended as Failed and can no longer be retried. @example `executionFailed({ executionId, at, error })` */
export type ExecutionFailed = EventEnvelope<'ExecutionFailed', z.infer<typeof ExecutionFailedDataSchema>>;

/** Data of `ExecutionStopped`. @example `{ reason: 'wrong branch' }` */
export const ExecutionStoppedDataSchema = z.object({ reason: z.string().optional() });
/** A stop finished: nothing runs any more. @example `executionStopped({ executionId, at })` */
export type ExecutionStopped = EventEnvelope<'ExecutionStopped', z.infer<typeof ExecutionStoppedDataSchema>>;

/** Data of `ExecutionSuperseded`: the newer execution and where it happened. @example `{ supersededBy: '9a1b', stageName: 'Deploy' }` */
export const ExecutionSupersededDataSchema = z.object({
  supersededBy: z.string().min(1),
  stageName: z.string().optional(),
});
/** A newer execution replaced this one at a stage boundary. @example `executionSuperseded({ executionId, at, supersededBy })` */
export type ExecutionSuperseded = EventEnvelope<
  'ExecutionSuperseded',
  z.infer<typeof ExecutionSupersededDataSchema>
>;

/** Data of `ExecutionCancelled`. @example `{ reason: 'pipeline definition changed' }` */
export const ExecutionCancelledDataSchema = z.object({ reason: z.string() });
/** The execution was cancelled (the pipeline's definition changed under it). @example `executionCancelled({ executionId, at, reason })` */
export type ExecutionCancelled = EventEnvelope<
  'ExecutionCancelled',
  z.infer<typeof ExecutionCancelledDataSchema>
>;

/**
 * Builds `PipelineExecutionStarted` (id `<executionId>:PipelineExecutionStarted`).
 *
 * @example
 * ```ts
 * pipelineExecutionStarted({ executionId: '7f0c', at, pipelineName: 'web-app', pipelineExecutionId: '7f0c',
 *   pipelineVersion: 1, executionMode: 'SUPERSEDED', executionType: 'STANDARD',
 *   trigger: { triggerType: 'StartPipelineExecution' }, variables: [], sourceRevisions: [] });
 * ```
 */
export function pipelineExecutionStarted(
  input: ExecutionEventContext & PipelineExecutionStartedData,
): NewEvent<PipelineExecutionStarted> {
  const { executionId, at, actor, ...data } = input;
  return newExecutionEvent('PipelineExecutionStarted', { executionId, at, actor }, [], data);
}

/** Builds `ExecutionSucceeded`. @example `executionSucceeded({ executionId: '7f0c', at })` */
export function executionSucceeded(input: ExecutionEventContext): NewEvent<ExecutionSucceeded> {
  return newExecutionEvent('ExecutionSucceeded', input, [], {});
}

/** Builds `ExecutionFailed`. @example `executionFailed({ executionId, at, error: { code: 'StageFailed', message } })` */
export function executionFailed(
  input: ExecutionEventContext & z.infer<typeof ExecutionFailedDataSchema>,
): NewEvent<ExecutionFailed> {
  const { executionId, at, actor, ...data } = input;
  return newExecutionEvent('ExecutionFailed', { executionId, at, actor }, [], data);
}

/** Builds `ExecutionStopped`. @example `executionStopped({ executionId, at, reason: 'wrong branch' })` */
export function executionStopped(
  input: ExecutionEventContext & z.infer<typeof ExecutionStoppedDataSchema>,
): NewEvent<ExecutionStopped> {
  const { executionId, at, actor, ...data } = input;
  return newExecutionEvent('ExecutionStopped', { executionId, at, actor }, [], data);
}

/** Builds `ExecutionSuperseded`. @example `executionSuperseded({ executionId, at, supersededBy: '9a1b' })` */
export function executionSuperseded(
  input: ExecutionEventContext & z.infer<typeof ExecutionSupersededDataSchema>,
): NewEvent<ExecutionSuperseded> {
  const { executionId, at, actor, ...data } = input;
  return newExecutionEvent('ExecutionSuperseded', { executionId, at, actor }, [], data);
}

/** Builds `ExecutionCancelled`. @example `executionCancelled({ executionId, at, reason: 'definition changed' })` */
export function executionCancelled(
  input: ExecutionEventContext & z.infer<typeof ExecutionCancelledDataSchema>,
): NewEvent<ExecutionCancelled> {
  const { executionId, at, actor, ...data } = input;
  return newExecutionEvent('ExecutionCancelled', { executionId, at, actor }, [], data);
}

/** @internal Schemas of this group, for the catalog. */
export const EXECUTION_EVENT_SCHEMAS = [
  envelopeSchema('PipelineExecutionStarted', PipelineExecutionStartedDataSchema),
  envelopeSchema('ExecutionSucceeded', ExecutionSucceededDataSchema),
  envelopeSchema('ExecutionFailed', ExecutionFailedDataSchema),
  envelopeSchema('ExecutionStopped', ExecutionStoppedDataSchema),
  envelopeSchema('ExecutionSuperseded', ExecutionSupersededDataSchema),
  envelopeSchema('ExecutionCancelled', ExecutionCancelledDataSchema),
] as const;
