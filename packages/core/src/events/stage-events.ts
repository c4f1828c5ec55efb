/**
 * Stage events: an execution waiting at a stage's gate, entering, skipping, succeeding or
 * failing a stage, and stage conditions evaluated. Stream `execution-<executionId>`.
 * Ids are `<executionId>:<stage>:<stageAttempt>:…:<type>`.
 *
 * @example
 * ```ts
 * stageStarted({ executionId: '7f0c', at, stageName: 'Build', stageAttempt: 0 }).id; // '7f0c:Build:0:StageStarted'
 * ```
 */
import * as z from 'zod';
import {
  type EventEnvelope,
  type ExecutionEventContext,
  envelopeSchema,
  executionEventFactory,
  type NewEvent,
} from './event-envelope.ts';
import { ErrorDetailsSchema, StageAttemptSchema } from './event-parts.ts';

/**
 * Why an execution waits at a stage's gate: the execution mode's stage lock (or queue), a
 * disabled inbound transition, or a BeforeEntry condition still in progress.
 *
 * @example
 * ```ts
 * STAGE_GATES.includes('Transition'); // true
 * ```
 */
export const STAGE_GATES = ['Lock', 'Transition', 'Condition'] as const;
/** One of {@link STAGE_GATES}. @example `'Lock'` */
export type StageGate = (typeof STAGE_GATES)[number];

/** CodePipeline's condition types. @example `CONDITION_TYPES[0]; // 'BEFORE_ENTRY'` */
export const CONDITION_TYPES = ['BEFORE_ENTRY', 'ON_SUCCESS', 'ON_FAILURE'] as const;
/** One of {@link CONDITION_TYPES}. @example `'ON_SUCCESS'` */
export type ConditionType = (typeof CONDITION_TYPES)[number];

/** CodePipeline's condition execution statuses. @example `'Succeeded'` */
export const CONDITION_STATUSES = [
  'InProgress',
  'Failed',
  'Errored',
  'Succeeded',
  'Cancelled',
  'Abandoned',
  'Overridden',
] as const;
/** One of {@link CONDITION_STATUSES}. @example `'Failed'` */
export type ConditionStatus = (typeof CONDITION_STATUSES)[number];

/** CodePipeline's rule execution statuses. @example `'Succeeded'` */
export const RULE_STATUSES = ['InProgress', 'Abandoned', 'Succeeded', 'Failed'] as const;

const StageRef = { stageName: z.string().min(1), stageAttempt: StageAttemptSchema };

/** Data of `StageWaiting`. @example `{ stageName: 'Deploy', stageAttempt: 0, gate: 'Lock', reason: 'stage locked by 9a1b', lockHolder: '9a1b' }` */
export const StageWaitingDataSchema = z.object({
  ...StageRef,
  gate: z.enum(STAGE_GATES),
  /** What the execution waits for, in words. */
  reason: z.string(),
  /** For `Lock`: the execution holding the stage lock. */
  lockHolder: z.string().optional(),
});
/** The execution waits in front of a stage. @example `stageWaiting({ executionId, at, stageName, stageAttempt: 0, gate: 'Transition', reason })` */
export type StageWaiting = EventEnvelope<'StageWaiting', z.infer<typeof StageWaitingDataSchema>>;

/** Data of `StageStarted`. @example `{ stageName: 'Build', stageAttempt: 0 }` */
export const StageStartedDataSchema = z.object(StageRef);
/** The execution entered the stage. @example `stageStarted({ executionId, at, stageName: 'Build', stageAttempt: 0 })` */
export type StageStarted = EventEnvelope<'StageStarted', z.infer<typeof StageStartedDataSchema>>;

/** Data of `StageSkipped`. @example `{ stageName: 'Deploy', stageAttempt: 0, reason: 'BeforeEntry condition result SKIP' }` */
export const StageSkippedDataSchema = z.object({ ...StageRef, reason: z.string().optional() });
/** A BeforeEntry condition with result SKIP skipped the stage. @example `stageSkipped({ executionId, at, stageName, stageAttempt: 0 })` */
export type StageSkipped = EventEnvelope<'StageSkipped', z.infer<typeof StageSkippedDataSchema>>;

/** Data of `StageSucceeded`. @example `{ stageName: 'Build', stageAttempt: 0 }` */
export const StageSucceededDataSchema = z.object(StageRef);
/** Every action of the stage succeeded (and OnSuccess conditions passed). @example `stageSucceeded({ executionId, at, stageName, stageAttempt: 0 })` */
export type StageSucceeded = EventEnvelope<'StageSucceeded', z.infer<typeof StageSucceededDataSchema>>;

/** Data of `StageFailed`. @example `{ stageName: 'Build', stageAttempt: 0, error: { code: 'JobFailed', message } }` */
export const StageFailedDataSchema = z.object({ ...StageRef, error: ErrorDetailsSchema });
/** The stage failed; it waits for a decision (retry or give up). @example `stageFailed({ executionId, at, stageName, stageAttempt: 0, error })` */
export type StageFailed = EventEnvelope<'StageFailed', z.infer<typeof StageFailedDataSchema>>;

/** Data of `ConditionEvaluated`. @example `{ stageName: 'Deploy', stageAttempt: 0, conditionType: 'BEFORE_ENTRY', status: 'Succeeded', ruleResults: [] }` */
export const ConditionEvaluatedDataSchema = z.object({
  ...StageRef,
  conditionType: z.enum(CONDITION_TYPES),
  status: z.enum(CONDITION_STATUSES),
  /** The condition's result applied when it failed (BeforeEntry FAIL|SKIP, OnSuccess ROLLBACK|FAIL, OnFailure ROLLBACK|RETRY). */
  result: z.enum(['FAIL', 'SKIP', 'ROLLBACK', 'RETRY']).optional(),
  ruleResults: z.array(
    z.object({ ruleName: z.string().min(1), status: z.enum(RULE_STATUSES), summary: z.string().optional() }),
  ),
});
/** A stage condition was evaluated. @example `conditionEvaluated({ executionId, at, stageName, stageAttempt: 0, conditionType: 'ON_SUCCESS', status: 'Failed', result: 'FAIL', ruleResults })` */
export type ConditionEvaluated = EventEnvelope<
  'ConditionEvaluated',
  z.infer<typeof ConditionEvaluatedDataSchema>
>;

/** Builds `StageWaiting` (id `…:<stage>:<stageAttempt>:<gate>:StageWaiting`). @example `stageWaiting({ executionId, at, stageName: 'Deploy', stageAttempt: 0, gate: 'Lock', reason: 'locked' })` */
export const stageWaiting: (
  input: ExecutionEventContext & z.infer<typeof StageWaitingDataSchema>,
) => NewEvent<StageWaiting> = executionEventFactory<'StageWaiting', z.infer<typeof StageWaitingDataSchema>>(
  'StageWaiting',
  (data) => [data.stageName, data.stageAttempt, data.gate],
);

/** Builds `StageStarted`. @example `stageStarted({ executionId, at, stageName: 'Build', stageAttempt: 0 })` */
export const stageStarted: (
  input: ExecutionEventContext & z.infer<typeof StageStartedDataSchema>,
) => NewEvent<StageStarted> = executionEventFactory<'StageStarted', z.infer<typeof StageStartedDataSchema>>(
  'StageStarted',
  (data) => [data.stageName, data.stageAttempt],
);

/** Builds `StageSkipped`. @example `stageSkipped({ executionId, at, stageName: 'Deploy', stageAttempt: 0 })` */
export const stageSkipped: (
  input: ExecutionEventContext & z.infer<typeof StageSkippedDataSchema>,
) => NewEvent<StageSkipped> = executionEventFactory<'StageSkipped', z.infer<typeof StageSkippedDataSchema>>(
  'StageSkipped',
  (data) => [data.stageName, data.stageAttempt],
);

/** Builds `StageSucceeded`. @example `stageSucceeded({ executionId, at, stageName: 'Build', stageAttempt: 0 })` */
export const stageSucceeded: (
  input: ExecutionEventContext & z.infer<typeof StageSucceededDataSchema>,
) => NewEvent<StageSucceeded> = executionEventFactory<
  'StageSucceeded',
  z.infer<typeof StageSucceededDataSchema>
>('StageSucceeded', (data) => [data.stageName, data.stageAttempt]);

/** Builds `StageFailed`. @example `stageFailed({ executionId, at, stageName: 'Build', stageAttempt: 0, error })` */
export const stageFailed: (
  input: ExecutionEventContext & z.infer<typeof StageFailedDataSchema>,
) => NewEvent<StageFailed> = executionEventFactory<'StageFailed', z.infer<typeof StageFailedDataSchema>>(
  'StageFailed',
  (data) => [data.stageName, data.stageAttempt],
);

/** Builds `ConditionEvaluated` (id `…:<stage>:<stageAttempt>:<conditionType>:<status>:ConditionEvaluated`). @example `conditionEvaluated({ executionId, at, stageName, stageAttempt: 0, conditionType: 'BEFORE_ENTRY', status: 'Succeeded', ruleResults: [] })` */
export const conditionEvaluated: (
  input: ExecutionEventContext & z.infer<typeof ConditionEvaluatedDataSchema>,
) => NewEvent<ConditionEvaluated> = executionEventFactory<
  'ConditionEvaluated',
  z.infer<typeof ConditionEvaluatedDataSchema>
>('ConditionEvaluated', (data) => [data.stageName, data.stageAttempt, data.conditionType, data.status]);

/** @internal Schemas of this group, for the catalog. */
export const STAGE_EVENT_SCHEMAS = [
  envelopeSchema('StageWaiting', StageWaitingDataSchema),
  envelopeSchema('StageStarted', StageStartedDataSchema),
  envelopeSchema('StageSkipped', StageSkippedDataSchema),
  envelopeSchema('StageSucceeded', StageSucceededDataSchema),
  envelopeSchema('StageFailed', StageFailedDataSchema),
  envelopeSchema('ConditionEvaluated', ConditionEvaluatedDataSchema),
] as const;
