/**
 * Action events: one run of an action (an action execution) starting, reporting progress,
 * and ending. Stream `execution-<executionId>`. Ids are
 * `<executionId>:<stage>:<action>:<stageAttempt>:<attempt>:<type>`.
 *
 * @example
 * ```ts
 * actionSucceeded({ executionId: '7f0c', at, stageName: 'Build', actionName: 'Test', stageAttempt: 0, attempt: 1,
 *   actionExecutionId: '7f0c:Build:Test:0:1', outputArtifacts: [], outputVariables: {} }).id;
 * // '7f0c:Build:Test:0:1:ActionSucceeded'
 * ```
 */
import * as z from 'zod';
import { ACTION_CATEGORIES, ACTION_OWNERS } from '../model/pipeline.ts';
import {
  type EventEnvelope,
  type ExecutionEventContext,
  envelopeSchema,
  type NewEvent,
  newExecutionEvent,
} from './event-envelope.ts';
import {
  ActionAttemptSchema,
  ArtifactSchema,
  ErrorDetailsSchema,
  StageAttemptSchema,
} from './event-parts.ts';

const ActionRef = {
  stageName: z.string().min(1),
  actionName: z.string().min(1),
  stageAttempt: StageAttemptSchema,
  attempt: ActionAttemptSchema,
  actionExecutionId: z.string().min(1),
};

const External = {
  externalExecutionId: z.string().optional(),
  externalExecutionUrl: z.string().optional(),
  summary: z.string().optional(),
};

/** Data of `ActionStarted`. @example `{ stageName: 'Build', actionName: 'Test', stageAttempt: 0, attempt: 1, actionExecutionId, resolvedConfiguration: {}, inputArtifacts: [] }` */
export const ActionStartedDataSchema = z.object({
  ...ActionRef,
  actionTypeId: z
    .object({
      category: z.enum(ACTION_CATEGORIES),
      owner: z.enum(ACTION_OWNERS),
      provider: z.string().min(1),
      version: z.string().min(1),
    })
    .optional(),
  /** The action's configuration with every `#{…}` variable resolved. */
  resolvedConfiguration: z.record(z.string(), z.string()),
  inputArtifacts: z.array(ArtifactSchema),
  /** The namespace the action's output variables go to. */
  namespace: z.string().optional(),
  region: z.string().optional(),
});
/** An action execution started. @example `if (e.type === 'ActionStarted') e.data.resolvedConfiguration` */
export type ActionStarted = EventEnvelope<'ActionStarted', z.infer<typeof ActionStartedDataSchema>>;

/** Data of `ActionProgress`; `reportId` tells reports apart (a build phase, a poll number). @example `{ …, reportId: 'BUILD', externalExecutionUrl: 'https://…' }` */
export const ActionProgressDataSchema = z.object({ ...ActionRef, reportId: z.string().min(1), ...External });
/** A running action reported where it runs or how far it got. @example `actionProgress({ executionId, at, …, reportId: 'poll-3', summary: 'deploying' })` */
export type ActionProgress = EventEnvelope<'ActionProgress', z.infer<typeof ActionProgressDataSchema>>;

/** Data of `ActionSucceeded`. @example `{ …, outputArtifacts: [artifact], outputVariables: { CommitId: '4f2a' }, summary: 'built' }` */
export const ActionSucceededDataSchema = z.object({
  ...ActionRef,
  outputArtifacts: z.array(ArtifactSchema),
  outputVariables: z.record(z.string(), z.string()),
  ...External,
  /** For source actions: the revision fetched. */
  sourceRevision: z
    .object({
      revisionId: z.string().optional(),
      revisionSummary: z.string().optional(),
      revisionUrl: z.string().optional(),
    })
    .optional(),
});
/** An action execution succeeded. @example `if (e.type === 'ActionSucceeded') e.data.outputVariables` */
export type ActionSucceeded = EventEnvelope<'ActionSucceeded', z.infer<typeof ActionSucceededDataSchema>>;

/** Data of `ActionFailed`; `retryable` says whether a retry may succeed. @example `{ …, error: { code: 'JobFailed', message }, retryable: true }` */
export const ActionFailedDataSchema = z.object({
  ...ActionRef,
  error: ErrorDetailsSchema,
  retryable: z.boolean(),
  ...External,
});
/** An action execution failed (a rejected approval fails its action too). @example `actionFailed({ executionId, at, …, error, retryable: false })` */
export type ActionFailed = EventEnvelope<'ActionFailed', z.infer<typeof ActionFailedDataSchema>>;

/** Data of `ActionAbandoned`. @example `{ …, reason: 'execution stopped with abandon' }` */
export const ActionAbandonedDataSchema = z.object({ ...ActionRef, reason: z.string().optional() });
/** An in-progress action execution was abandoned (stop with abandon). @example `actionAbandoned({ executionId, at, … })` */
export type ActionAbandoned = EventEnvelope<'ActionAbandoned', z.infer<typeof ActionAbandonedDataSchema>>;

type Input<S extends z.ZodType> = ExecutionEventContext & z.infer<S>;

function ids(d: { stageName: string; actionName: string; stageAttempt: number; attempt: number }) {
  return [d.stageName, d.actionName, d.stageAttempt, d.attempt];
}

/** Builds `ActionStarted`. @example `actionStarted({ executionId, at, stageName, actionName, stageAttempt: 0, attempt: 1, actionExecutionId, resolvedConfiguration: {}, inputArtifacts: [] })` */
export function actionStarted(input: Input<typeof ActionStartedDataSchema>): NewEvent<ActionStarted> {
  const { executionId, at, actor, ...data } = input;
  return newExecutionEvent('ActionStarted', { executionId, at, actor }, ids(data), data);
}

/** Builds `ActionProgress` (id `…:<attempt>:<reportId>:ActionProgress`). @example `actionProgress({ executionId, at, …, reportId: 'BUILD' })` */
export function actionProgress(input: Input<typeof ActionProgressDataSchema>): NewEvent<ActionProgress> {
  const { executionId, at, actor, ...data } = input;
  return newExecutionEvent('ActionProgress', { executionId, at, actor }, [...ids(data), data.reportId], data);
}

/** Builds `ActionSucceeded`. @example `actionSucceeded({ executionId, at, …, outputArtifacts: [], outputVariables: {} })` */
export function actionSucceeded(input: Input<typeof ActionSucceededDataSchema>): NewEvent<ActionSucceeded> {
  const { executionId, at, actor, ...data } = input;
  return newExecutionEvent('ActionSucceeded', { executionId, at, actor }, ids(data), data);
}

/** Builds `ActionFailed`. @example `actionFailed({ executionId, at, …, error: { code: 'JobFailed', message }, retryable: false })` */
export function actionFailed(input: Input<typeof ActionFailedDataSchema>): NewEvent<ActionFailed> {
  const { executionId, at, actor, ...data } = input;
  return newExecutionEvent('ActionFailed', { executionId, at, actor }, ids(data), data);
}

/** Builds `ActionAbandoned`. @example `actionAbandoned({ executionId, at, …, reason: 'stopped' })` */
export function actionAbandoned(input: Input<typeof ActionAbandonedDataSchema>): NewEvent<ActionAbandoned> {
  const { executionId, at, actor, ...data } = input;
  return newExecutionEvent('ActionAbandoned', { executionId, at, actor }, ids(data), data);
}

/** @internal Schemas of this group, for the catalog. */
export const ACTION_EVENT_SCHEMAS = [
  envelopeSchema('ActionStarted', ActionStartedDataSchema),
  envelopeSchema('ActionProgress', ActionProgressDataSchema),
  envelopeSchema('ActionSucceeded', ActionSucceededDataSchema),
  envelopeSchema('ActionFailed', ActionFailedDataSchema),
  envelopeSchema('ActionAbandoned', ActionAbandonedDataSchema),
] as const;
