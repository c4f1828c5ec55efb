/**
 * Schemas of the values events carry (actors, triggers, revisions, artifacts, errors,
 * variables), shared by every event group. Names follow CodePipeline's API shapes.
 *
 * @example
 * ```ts
 * ArtifactSchema.parse({ name: 'BuildOutput', uri: 'file:///a/b', sha256: 'ab12', size: 10 });
 * ```
 */
import * as z from 'zod';

/** ISO-8601 time with an offset (`2026-01-02T03:04:05.000Z`), given by the caller's clock. */
export const IsoTimeSchema = z.iso.datetime({ offset: true });

/**
 * Who caused an event: a user (approver, operator), the system (engine, state machine) or a trigger.
 *
 * @example
 * ```ts
 * const actor: EventActor = { kind: 'user', id: 'alice@example.com' };
 * ```
 */
export const EventActorSchema = z.object({
  kind: z.enum(['user', 'system', 'trigger']),
  id: z.string().min(1),
  /**
   * How a user's identity was verified, where a server verified it: `token` (a per-user API
   * token), `server-token` (the server's own token: its owner), `oidc` (an OpenID Connect
   * sign-in). Absent: the name was given, not verified (the local CLI, older events).
   */
  verifiedBy: z.enum(['token', 'server-token', 'oidc']).optional(),
});
/** @see EventActorSchema @example `{ kind: 'system', id: 'engine' }` */
export type EventActor = z.infer<typeof EventActorSchema>;

/**
 * CodePipeline's `triggerType` values, plus Pipewright's `Schedule` (a `cron(…)`/`rate(…)` trigger).
 *
 * @example
 * ```ts
 * TRIGGER_TYPES.includes('WebhookV2'); // true
 * ```
 */
export const TRIGGER_TYPES = [
  'CreatePipeline',
  'StartPipelineExecution',
  'PollForSourceChanges',
  'Webhook',
  'WebhookV2',
  'CloudWatchEvent',
  'PutActionRevision',
  'ManualRollback',
  'AutomatedRollback',
  'Schedule',
] as const;
/** One of {@link TRIGGER_TYPES}. @example `'StartPipelineExecution'` */
export type TriggerType = (typeof TRIGGER_TYPES)[number];

/**
 * What started an execution, as CodePipeline's `ExecutionTrigger`.
 *
 * @example
 * ```ts
 * const trigger: ExecutionTrigger = { triggerType: 'WebhookV2', triggerDetail: 'push refs/heads/main' };
 * ```
 */
export const ExecutionTriggerSchema = z.object({
  triggerType: z.enum(TRIGGER_TYPES),
  /** Who or what: a user, a webhook delivery, an EventBridge rule, a schedule. */
  triggerDetail: z.string().optional(),
});
/** @see ExecutionTriggerSchema @example `{ triggerType: 'StartPipelineExecution', triggerDetail: 'alice' }` */
export type ExecutionTrigger = z.infer<typeof ExecutionTriggerSchema>;

/**
 * A source revision of an execution (CodePipeline's `SourceRevision` of `ListPipelineExecutions`).
 *
 * @example
 * ```ts
 * const r: SourceRevision = { actionName: 'Checkout', revisionId: '4f2a9c1', revisionSummary: 'Fix login' };
 * ```
 */
export const SourceRevisionSchema = z.object({
  actionName: z.string().min(1),
  revisionId: z.string().optional(),
  revisionSummary: z.string().optional(),
  revisionUrl: z.string().optional(),
});
/** @see SourceRevisionSchema @example `{ actionName: 'Checkout', revisionId: '4f2a9c1' }` */
export type SourceRevision = z.infer<typeof SourceRevisionSchema>;

/**
 * An artifact by reference: where it is stored, its content hash and size in bytes.
 *
 * @example
 * ```ts
 * const a: Artifact = { name: 'BuildOutput', uri: 's3://bucket/key.zip', sha256: 'e3b0…', size: 1024 };
 * ```
 */
export const ArtifactSchema = z.object({
  name: z.string().min(1),
  uri: z.string().min(1),
  sha256: z.string(),
  size: z.int().nonnegative(),
  /** Number of files, when the store counts them. */
  files: z.int().nonnegative().optional(),
});
/** @see ArtifactSchema @example `{ name: 'SourceOutput', uri: 'file:///x', sha256: 'ab', size: 3 }` */
export type Artifact = z.infer<typeof ArtifactSchema>;

/**
 * An error as CodePipeline's `ErrorDetails`: a stable code and a message saying what to do.
 *
 * @example
 * ```ts
 * const e: ErrorDetails = { code: 'JobFailed', message: 'npm test exited with 1' };
 * ```
 */
export const ErrorDetailsSchema = z.object({ code: z.string().min(1), message: z.string() });
/** @see ErrorDetailsSchema @example `{ code: 'Timeout', message: 'the action ran longer than 60 minutes' }` */
export type ErrorDetails = z.infer<typeof ErrorDetailsSchema>;

/**
 * A pipeline variable with the value resolved for an execution (CodePipeline's `ResolvedPipelineVariable`).
 *
 * @example
 * ```ts
 * const v: ResolvedVariable = { name: 'env', resolvedValue: 'prod' };
 * ```
 */
export const ResolvedVariableSchema = z.object({ name: z.string().min(1), resolvedValue: z.string() });
/** @see ResolvedVariableSchema @example `{ name: 'region', resolvedValue: 'eu-west-1' }` */
export type ResolvedVariable = z.infer<typeof ResolvedVariableSchema>;

/** A stage's attempt: 0 for the first run, +1 per retry (the state machine's `$attempt`). @example `0` */
export const StageAttemptSchema = z.int().nonnegative();
/** An action's attempt within one stage attempt: 1 for the first run. @example `1` */
export const ActionAttemptSchema = z.int().positive();
