/**
 * Operator events: decisions a person (or the engine on its behalf) takes about a running
 * execution: stop, retry a failed stage, override a stage condition. The `actor` is required.
 * Stream `execution-<executionId>`.
 *
 * @example
 * ```ts
 * stageRetried({ executionId: '7f0c', at, actor: { kind: 'user', id: 'alice' }, stageName: 'Build',
 *   stageAttempt: 1, retryMode: 'FAILED_ACTIONS' }).id; // '7f0c:Build:1:StageRetried'
 * ```
 */
import * as z from 'zod';
import {
  type EventEnvelope,
  type ExecutionEventContext,
  envelopeSchema,
  type NewEvent,
  newExecutionEvent,
} from './event-envelope.ts';
import { type EventActor, StageAttemptSchema } from './event-parts.ts';

/** CodePipeline's stage retry modes. @example `RETRY_MODES[0]; // 'FAILED_ACTIONS'` */
export const RETRY_MODES = ['FAILED_ACTIONS', 'ALL_ACTIONS'] as const;
/** One of {@link RETRY_MODES}. @example `'ALL_ACTIONS'` */
export type RetryMode = (typeof RETRY_MODES)[number];

/** Data of `ExecutionStopping` (StopPipelineExecution). @example `{ abandon: true, reason: 'wrong branch' }` */
export const ExecutionStoppingDataSchema = z.object({
  /** true: in-progress actions are abandoned; false: they finish, nothing new starts. */
  abandon: z.boolean(),
  reason: z.string().max(200).optional(),
});
/** A stop was requested. A stop-and-wait may be escalated to abandon once. @example `executionStopping({ executionId, at, actor, abandon: false })` */
export type ExecutionStopping = EventEnvelope<
  'ExecutionStopping',
  z.infer<typeof ExecutionStoppingDataSchema>
>;

/** Data of `StageRetried` (RetryStageExecution); `stageAttempt` is the new attempt. @example `{ stageName: 'Build', stageAttempt: 1, retryMode: 'FAILED_ACTIONS' }` */
export const StageRetriedDataSchema = z.object({
  stageName: z.string().min(1),
  stageAttempt: StageAttemptSchema,
  retryMode: z.enum(RETRY_MODES),
  /** true when an OnFailure `RETRY` result retried the stage, not a person. */
  automatic: z.boolean().optional(),
});
/** A failed stage is retried; the execution is InProgress again. @example `stageRetried({ executionId, at, actor, stageName, stageAttempt: 1, retryMode: 'ALL_ACTIONS' })` */
export type StageRetried = EventEnvelope<'StageRetried', z.infer<typeof StageRetriedDataSchema>>;

/** Data of `StageConditionOverridden` (OverrideStageCondition). @example `{ stageName: 'Deploy', stageAttempt: 0, conditionType: 'BEFORE_ENTRY' }` */
export const StageConditionOverriddenDataSchema = z.object({
  stageName: z.string().min(1),
  stageAttempt: StageAttemptSchema,
  conditionType: z.enum(['BEFORE_ENTRY', 'ON_SUCCESS']),
});
/** An operator overrode a stage condition. @example `stageConditionOverridden({ executionId, at, actor, stageName, stageAttempt: 0, conditionType: 'BEFORE_ENTRY' })` */
export type StageConditionOverridden = EventEnvelope<
  'StageConditionOverridden',
  z.infer<typeof StageConditionOverriddenDataSchema>
>;

type OperatorInput<S extends z.ZodType> = ExecutionEventContext & { actor: EventActor } & z.infer<S>;

/** Builds `ExecutionStopping` (id `<executionId>:<abandon|wait>:ExecutionStopping`). @example `executionStopping({ executionId, at, actor, abandon: true, reason: 'wrong branch' })` */
export function executionStopping(
  input: OperatorInput<typeof ExecutionStoppingDataSchema>,
): NewEvent<ExecutionStopping> {
  const { executionId, at, actor, ...data } = input;
  return newExecutionEvent(
    'ExecutionStopping',
    { executionId, at, actor },
    [data.abandon ? 'abandon' : 'wait'],
    data,
  );
}

/** Builds `StageRetried`. @example `stageRetried({ executionId, at, actor, stageName: 'Build', stageAttempt: 1, retryMode: 'FAILED_ACTIONS' })` */
export function stageRetried(input: OperatorInput<typeof StageRetriedDataSchema>): NewEvent<StageRetried> {
  const { executionId, at, actor, ...data } = input;
  return newExecutionEvent(
    'StageRetried',
    { executionId, at, actor },
    [data.stageName, data.stageAttempt],
    data,
  );
}

/** Builds `StageConditionOverridden`. @example `stageConditionOverridden({ executionId, at, actor, stageName, stageAttempt: 0, conditionType: 'ON_SUCCESS' })` */
export function stageConditionOverridden(
  input: OperatorInput<typeof StageConditionOverriddenDataSchema>,
): NewEvent<StageConditionOverridden> {
  const { executionId, at, actor, ...data } = input;
  return newExecutionEvent(
    'StageConditionOverridden',
    { executionId, at, actor },
    [data.stageName, data.stageAttempt, data.conditionType],
    data,
  );
}

/** @internal Schemas of this group, for the catalog. */
export const OPERATOR_EVENT_SCHEMAS = [
  envelopeSchema('ExecutionStopping', ExecutionStoppingDataSchema),
  envelopeSchema('StageRetried', StageRetriedDataSchema),
  envelopeSchema('StageConditionOverridden', StageConditionOverriddenDataSchema),
] as const;
