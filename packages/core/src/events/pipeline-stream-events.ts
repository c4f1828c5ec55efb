/**
 * Pipeline-stream events: the pipeline's own facts — definition versions, stage transitions
 * disabled/enabled, triggers received (also filtered-out ones, with the reason), and the
 * execution mode's stage locks and queues. Stream `pipeline-<name>`, except `TriggerReceived`:
 * `triggers-<name>` (older logs have it in `pipeline-<name>`); ids start with the pipeline's
 * name.
 *
 * @example
 * ```ts
 * stageLockAcquired({ pipelineName: 'web-app', at, stageName: 'Deploy', pipelineExecutionId: '7f0c', stageAttempt: 0 }).id;
 * // 'web-app:Deploy:7f0c:0:StageLockAcquired'
 * ```
 */
import * as z from 'zod';
import type { Pipeline } from '../model/pipeline.ts';
import {
  type EventEnvelope,
  envelopeSchema,
  eventId,
  type NewEvent,
  newPipelineEvent,
  type PipelineEventContext,
} from './event-envelope.ts';
import { type EventActor, ExecutionTriggerSchema, StageAttemptSchema } from './event-parts.ts';

/** Data of `PipelineVersionCreated`: a new structure version (the definition itself is checked by validation, not here). @example `{ pipelineName: 'web-app', version: 2, sha256: 'ab…', definition }` */
export const PipelineVersionCreatedDataSchema = z.object({
  pipelineName: z.string().min(1),
  version: z.int().positive(),
  /** SHA-256 of the canonical JSON of the definition. */
  sha256: z.string().min(1),
  definition: z.custom<Pipeline>(
    (v) => typeof v === 'object' && v !== null && Array.isArray((v as { stages?: unknown }).stages),
    'expected a pipeline definition (an object with stages[])',
  ),
});
/** The pipeline was created or updated. @example `if (e.type === 'PipelineVersionCreated') e.data.version` */
export type PipelineVersionCreated = EventEnvelope<
  'PipelineVersionCreated',
  z.infer<typeof PipelineVersionCreatedDataSchema>
>;

const TransitionRef = {
  stageName: z.string().min(1),
  transitionType: z.enum(['Inbound', 'Outbound']),
  /** The operator's request id, so a repeated request is the same event. */
  requestId: z.string().min(1),
};

/** Data of `TransitionDisabled` (DisableStageTransition). @example `{ stageName: 'Deploy', transitionType: 'Inbound', requestId: 'r1', reason: 'freeze' }` */
export const TransitionDisabledDataSchema = z.object({
  ...TransitionRef,
  reason: z.string().min(1).max(300),
});
/** A stage transition was disabled; `actor` says by whom. @example `transitionDisabled({ pipelineName, at, actor, stageName, transitionType: 'Inbound', requestId, reason })` */
export type TransitionDisabled = EventEnvelope<
  'TransitionDisabled',
  z.infer<typeof TransitionDisabledDataSchema>
>;

/** Data of `TransitionEnabled` (EnableStageTransition). @example `{ stageName: 'Deploy', transitionType: 'Inbound', requestId: 'r2' }` */
export const TransitionEnabledDataSchema = z.object(TransitionRef);
/** A stage transition was enabled again. @example `transitionEnabled({ pipelineName, at, actor, stageName, transitionType: 'Inbound', requestId })` */
export type TransitionEnabled = EventEnvelope<
  'TransitionEnabled',
  z.infer<typeof TransitionEnabledDataSchema>
>;

/** Data of `TriggerReceived`. @example `{ triggerId: 'gh-delivery-1', trigger: { triggerType: 'WebhookV2' }, matched: false, reason: 'branch feature/x is not included' }` */
export const TriggerReceivedDataSchema = z.object({
  /** The delivery's own id (webhook delivery, EventBridge event id, schedule tick), so redelivery is the same event. */
  triggerId: z.string().min(1),
  trigger: ExecutionTriggerSchema,
  /** Where it came from, e.g. `github:acme/web@refs/heads/main`. */
  source: z.string().optional(),
  matched: z.boolean(),
  /** Why it matched or was filtered out. */
  reason: z.string(),
  /** The execution it started, when it matched. */
  pipelineExecutionId: z.string().optional(),
});
/** A trigger reached the pipeline (matched or filtered out). @example `triggerReceived({ pipelineName, at, triggerId, trigger, matched: true, reason, pipelineExecutionId })` */
export type TriggerReceived = EventEnvelope<'TriggerReceived', z.infer<typeof TriggerReceivedDataSchema>>;

const LockRef = {
  stageName: z.string().min(1),
  pipelineExecutionId: z.string().min(1),
  stageAttempt: StageAttemptSchema,
};

/** Data of `StageLockAcquired`. @example `{ stageName: 'Deploy', pipelineExecutionId: '7f0c', stageAttempt: 0 }` */
export const StageLockAcquiredDataSchema = z.object(LockRef);
/** An execution took a stage's lock (SUPERSEDED, QUEUED). @example `stageLockAcquired({ pipelineName, at, stageName, pipelineExecutionId, stageAttempt: 0 })` */
export type StageLockAcquired = EventEnvelope<
  'StageLockAcquired',
  z.infer<typeof StageLockAcquiredDataSchema>
>;

/** Data of `StageLockReleased`. @example `{ stageName: 'Deploy', pipelineExecutionId: '7f0c', stageAttempt: 0, reason: 'Succeeded' }` */
export const StageLockReleasedDataSchema = z.object({ ...LockRef, reason: z.string().optional() });
/** An execution released a stage's lock (left, failed, stopped). @example `stageLockReleased({ pipelineName, at, stageName, pipelineExecutionId, stageAttempt: 0 })` */
export type StageLockReleased = EventEnvelope<
  'StageLockReleased',
  z.infer<typeof StageLockReleasedDataSchema>
>;

/** Data of `ExecutionQueued`. @example `{ stageName: 'Deploy', pipelineExecutionId: '9a1b', stageAttempt: 0 }` */
export const ExecutionQueuedDataSchema = z.object(LockRef);
/** An execution waits in front of a locked stage (its inbound execution). @example `executionQueued({ pipelineName, at, stageName, pipelineExecutionId, stageAttempt: 0 })` */
export type ExecutionQueued = EventEnvelope<'ExecutionQueued', z.infer<typeof ExecutionQueuedDataSchema>>;

/** Data of `ExecutionDequeued`. @example `{ stageName: 'Deploy', pipelineExecutionId: '9a1b', stageAttempt: 0 }` */
export const ExecutionDequeuedDataSchema = z.object({ ...LockRef, reason: z.string().optional() });
/** A waiting execution left the queue (it entered the stage, or was stopped). @example `executionDequeued({ pipelineName, at, stageName, pipelineExecutionId, stageAttempt: 0 })` */
export type ExecutionDequeued = EventEnvelope<
  'ExecutionDequeued',
  z.infer<typeof ExecutionDequeuedDataSchema>
>;

/** Data of `InboundExecutionSuperseded`. @example `{ stageName: 'Deploy', pipelineExecutionId: '7f0c', supersededBy: '9a1b' }` */
export const InboundExecutionSupersededDataSchema = z.object({
  stageName: z.string().min(1),
  pipelineExecutionId: z.string().min(1),
  supersededBy: z.string().min(1),
});
/** A newer execution replaced the one waiting in front of a stage (SUPERSEDED mode). @example `inboundExecutionSuperseded({ pipelineName, at, stageName, pipelineExecutionId, supersededBy })` */
export type InboundExecutionSuperseded = EventEnvelope<
  'InboundExecutionSuperseded',
  z.infer<typeof InboundExecutionSupersededDataSchema>
>;

type Input<S extends z.ZodType> = PipelineEventContext & z.infer<S>;

/** Builds `PipelineVersionCreated` (id `<pipeline>:<version>:PipelineVersionCreated`). @example `pipelineVersionCreated({ pipelineName, at, version: 1, sha256, definition })` */
export function pipelineVersionCreated(
  input: Input<typeof PipelineVersionCreatedDataSchema>,
): NewEvent<PipelineVersionCreated> {
  const { at, actor, ...data } = input;
  return newPipelineEvent(
    'PipelineVersionCreated',
    { pipelineName: data.pipelineName, at, actor },
    [data.version],
    data,
  );
}

/** Builds `TransitionDisabled`. @example `transitionDisabled({ pipelineName, at, actor, stageName, transitionType: 'Inbound', requestId, reason })` */
export function transitionDisabled(
  input: Input<typeof TransitionDisabledDataSchema> & { actor: EventActor },
): NewEvent<TransitionDisabled> {
  const { pipelineName, at, actor, ...data } = input;
  return newPipelineEvent(
    'TransitionDisabled',
    { pipelineName, at, actor },
    [data.stageName, data.requestId],
    data,
  );
}

/** Builds `TransitionEnabled`. @example `transitionEnabled({ pipelineName, at, actor, stageName, transitionType: 'Inbound', requestId })` */
export function transitionEnabled(
  input: Input<typeof TransitionEnabledDataSchema> & { actor: EventActor },
): NewEvent<TransitionEnabled> {
  const { pipelineName, at, actor, ...data } = input;
  return newPipelineEvent(
    'TransitionEnabled',
    { pipelineName, at, actor },
    [data.stageName, data.requestId],
    data,
  );
}

/** Builds `TriggerReceived` (id `<pipeline>:<triggerId>:TriggerReceived`). @example `triggerReceived({ pipelineName, at, triggerId, trigger, matched: false, reason })` */
export function triggerReceived(input: Input<typeof TriggerReceivedDataSchema>): NewEvent<TriggerReceived> {
  const { pipelineName, at, actor, ...data } = input;
  return newPipelineEvent('TriggerReceived', { pipelineName, at, actor }, [data.triggerId], data);
}

function lockIds(d: { stageName: string; pipelineExecutionId: string; stageAttempt: number }) {
  return [d.stageName, d.pipelineExecutionId, d.stageAttempt];
}

/** Builds `StageLockAcquired`. @example `stageLockAcquired({ pipelineName, at, stageName, pipelineExecutionId, stageAttempt: 0 })` */
export function stageLockAcquired(
  input: Input<typeof StageLockAcquiredDataSchema>,
): NewEvent<StageLockAcquired> {
  const { pipelineName, at, actor, ...data } = input;
  return newPipelineEvent('StageLockAcquired', { pipelineName, at, actor }, lockIds(data), data);
}

/** Builds `StageLockReleased`. @example `stageLockReleased({ pipelineName, at, stageName, pipelineExecutionId, stageAttempt: 0, reason: 'Succeeded' })` */
export function stageLockReleased(
  input: Input<typeof StageLockReleasedDataSchema>,
): NewEvent<StageLockReleased> {
  const { pipelineName, at, actor, ...data } = input;
  return newPipelineEvent('StageLockReleased', { pipelineName, at, actor }, lockIds(data), data);
}

/** Builds `ExecutionQueued`. @example `executionQueued({ pipelineName, at, stageName, pipelineExecutionId, stageAttempt: 0 })` */
export function executionQueued(input: Input<typeof ExecutionQueuedDataSchema>): NewEvent<ExecutionQueued> {
  const { pipelineName, at, actor, ...data } = input;
  return newPipelineEvent('ExecutionQueued', { pipelineName, at, actor }, lockIds(data), data);
}

/** Builds `ExecutionDequeued`. @example `executionDequeued({ pipelineName, at, stageName, pipelineExecutionId, stageAttempt: 0 })` */
export function executionDequeued(
  input: Input<typeof ExecutionDequeuedDataSchema>,
): NewEvent<ExecutionDequeued> {
  const { pipelineName, at, actor, ...data } = input;
  return newPipelineEvent('ExecutionDequeued', { pipelineName, at, actor }, lockIds(data), data);
}

/**
 * The id of the `InboundExecutionSuperseded` that records `executionId` superseded in front of
 * `stageName`, so a gate can look it up (`EventStore.find`) without reading the stream.
 *
 * @example
 * ```ts
 * inboundExecutionSupersededId('web-app', 'Deploy', '7f0c'); // 'web-app:Deploy:7f0c:InboundExecutionSuperseded'
 * ```
 */
export function inboundExecutionSupersededId(
  pipelineName: string,
  stageName: string,
  executionId: string,
): string {
  return eventId([pipelineName, stageName, executionId, 'InboundExecutionSuperseded']);
}

/** Builds `InboundExecutionSuperseded` (id `<pipeline>:<stage>:<executionId>:InboundExecutionSuperseded`). @example `inboundExecutionSuperseded({ pipelineName, at, stageName, pipelineExecutionId, supersededBy })` */
export function inboundExecutionSuperseded(
  input: Input<typeof InboundExecutionSupersededDataSchema>,
): NewEvent<InboundExecutionSuperseded> {
  const { pipelineName, at, actor, ...data } = input;
  return newPipelineEvent(
    'InboundExecutionSuperseded',
    { pipelineName, at, actor },
    [data.stageName, data.pipelineExecutionId],
    data,
  );
}

/** @internal Schemas of this group, for the catalog. */
export const PIPELINE_STREAM_EVENT_SCHEMAS = [
  envelopeSchema('PipelineVersionCreated', PipelineVersionCreatedDataSchema),
  envelopeSchema('TransitionDisabled', TransitionDisabledDataSchema),
  envelopeSchema('TransitionEnabled', TransitionEnabledDataSchema),
  envelopeSchema('TriggerReceived', TriggerReceivedDataSchema),
  envelopeSchema('StageLockAcquired', StageLockAcquiredDataSchema),
  envelopeSchema('StageLockReleased', StageLockReleasedDataSchema),
  envelopeSchema('ExecutionQueued', ExecutionQueuedDataSchema),
  envelopeSchema('ExecutionDequeued', ExecutionDequeuedDataSchema),
  envelopeSchema('InboundExecutionSuperseded', InboundExecutionSupersededDataSchema),
] as const;
