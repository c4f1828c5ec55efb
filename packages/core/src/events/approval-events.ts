/**
 * Manual approval events. Stream `execution-<executionId>`. The approval action's
 * `ActionSucceeded`/`ActionFailed` follows the decision (a rejection fails the action).
 * No task token is ever stored: the approval is addressed by its `approvalId`.
 *
 * @example
 * ```ts
 * approvalDecided({ executionId: '7f0c', at, actor: { kind: 'user', id: 'alice' }, stageName: 'Approve',
 *   actionName: 'Review', stageAttempt: 0, attempt: 1, approvalId: 'ap-1', status: 'Approved' });
 * ```
 */
import * as z from 'zod';
import {
  type EventEnvelope,
  type ExecutionEventContext,
  envelopeSchema,
  executionEventFactory,
  type NewEvent,
  newExecutionEvent,
} from './event-envelope.ts';
import type { EventActor } from './event-parts.ts';
import { ActionAttemptSchema, IsoTimeSchema, StageAttemptSchema } from './event-parts.ts';

const ApprovalRef = {
  stageName: z.string().min(1),
  actionName: z.string().min(1),
  stageAttempt: StageAttemptSchema,
  attempt: ActionAttemptSchema,
  approvalId: z.string().min(1),
};

/** Data of `ApprovalRequested`. @example `{ …, approvalId: 'ap-1', expiresAt: '2026-01-09T00:00:00.000Z', notified: ['ops@example.com'] }` */
export const ApprovalRequestedDataSchema = z.object({
  ...ApprovalRef,
  customData: z.string().optional(),
  externalEntityLink: z.string().optional(),
  expiresAt: IsoTimeSchema,
  /** Who was told (email addresses, topics, webhook names); empty when nobody was notified. */
  notified: z.array(z.string()),
});
/** An approval action waits for a decision. @example `if (e.type === 'ApprovalRequested') e.data.expiresAt` */
export type ApprovalRequested = EventEnvelope<
  'ApprovalRequested',
  z.infer<typeof ApprovalRequestedDataSchema>
>;

/** Data of `ApprovalDecided`: CodePipeline's `ApprovalResult` (`summary` is the approver's comment). @example `{ …, status: 'Rejected', summary: 'not during the freeze' }` */
export const ApprovalDecidedDataSchema = z.object({
  ...ApprovalRef,
  status: z.enum(['Approved', 'Rejected']),
  summary: z.string().max(512).optional(),
});
/** Someone approved or rejected; `actor` says who. @example `approvalDecided({ executionId, at, actor, …, status: 'Approved' })` */
export type ApprovalDecided = EventEnvelope<'ApprovalDecided', z.infer<typeof ApprovalDecidedDataSchema>>;

/** Builds `ApprovalRequested` (id `…:<stage>:<action>:<stageAttempt>:<attempt>:ApprovalRequested`). @example `approvalRequested({ executionId, at, …, approvalId, expiresAt, notified: [] })` */
export const approvalRequested: (
  input: ExecutionEventContext & z.infer<typeof ApprovalRequestedDataSchema>,
) => NewEvent<ApprovalRequested> = executionEventFactory<
  'ApprovalRequested',
  z.infer<typeof ApprovalRequestedDataSchema>
>('ApprovalRequested', (data) => [data.stageName, data.actionName, data.stageAttempt, data.attempt]);

/** Builds `ApprovalDecided`; the decider (`actor`) is required. @example `approvalDecided({ executionId, at, actor, …, status: 'Approved' })` */
export function approvalDecided(
  input: ExecutionEventContext & { actor: EventActor } & z.infer<typeof ApprovalDecidedDataSchema>,
): NewEvent<ApprovalDecided> {
  const { executionId, at, actor, ...data } = input;
  return newExecutionEvent(
    'ApprovalDecided',
    { executionId, at, actor },
    [data.stageName, data.actionName, data.stageAttempt, data.attempt],
    data,
  );
}

/** @internal Schemas of this group, for the catalog. */
export const APPROVAL_EVENT_SCHEMAS = [
  envelopeSchema('ApprovalRequested', ApprovalRequestedDataSchema),
  envelopeSchema('ApprovalDecided', ApprovalDecidedDataSchema),
] as const;
