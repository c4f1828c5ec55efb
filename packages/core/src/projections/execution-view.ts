/**
 * The execution view: everything known about one execution, folded from its event stream.
 * Statuses are CodePipeline's words; `NotStarted` marks what the execution has not reached.
 *
 * @example
 * ```ts
 * const view = foldExecution(events, pipeline);
 * view.stages.map((s) => `${s.stageName}: ${s.status}`); // ['Source: Succeeded', 'Build: InProgress', 'Deploy: NotStarted']
 * ```
 */
import type {
  Artifact,
  ErrorDetails,
  EventActor,
  ExecutionTrigger,
  ResolvedVariable,
  SourceRevision,
} from '../events/event-parts.ts';
import type { RetryMode } from '../events/operator-events.ts';
import type { ConditionStatus, ConditionType, StageGate } from '../events/stage-events.ts';
import type { ActionTypeId, ExecutionMode, Pipeline } from '../model/pipeline.ts';

/** CodePipeline's pipeline execution statuses. @example `EXECUTION_STATUSES.includes('Superseded'); // true` */
export const EXECUTION_STATUSES = [
  'InProgress',
  'Stopping',
  'Stopped',
  'Succeeded',
  'Failed',
  'Superseded',
  'Cancelled',
] as const;
/** One of {@link EXECUTION_STATUSES}. @example `'InProgress'` */
export type ExecutionStatus = (typeof EXECUTION_STATUSES)[number];

/** CodePipeline's stage execution statuses. @example `STAGE_STATUSES.includes('Skipped'); // true` */
export const STAGE_STATUSES = [
  'InProgress',
  'Succeeded',
  'Failed',
  'Stopped',
  'Stopping',
  'Skipped',
  'Cancelled',
] as const;
/** One of {@link STAGE_STATUSES}. @example `'Failed'` */
export type StageStatus = (typeof STAGE_STATUSES)[number];

/** CodePipeline's action execution statuses. @example `ACTION_STATUSES.includes('Abandoned'); // true` */
export const ACTION_STATUSES = ['InProgress', 'Succeeded', 'Failed', 'Abandoned'] as const;
/** One of {@link ACTION_STATUSES}. @example `'Succeeded'` */
export type ActionStatus = (typeof ACTION_STATUSES)[number];

/** Not reached (yet) by this execution. @example `'NotStarted'` */
export type NotStarted = 'NotStarted';

/** One run of an action (an action execution). @example `view.stages[1]?.actions[0]?.attempts.at(-1)?.outputVariables` */
export interface ActionAttemptView {
  actionExecutionId: string;
  stageAttempt: number;
  attempt: number;
  status: ActionStatus;
  startedAt: string;
  updatedAt: string;
  endedAt?: string;
  actionTypeId?: ActionTypeId;
  namespace?: string;
  region?: string;
  resolvedConfiguration: Record<string, string>;
  inputArtifacts: Artifact[];
  outputArtifacts: Artifact[];
  outputVariables: Record<string, string>;
  summary?: string;
  externalExecutionId?: string;
  externalExecutionUrl?: string;
  error?: ErrorDetails;
  retryable?: boolean;
  /** For manual approvals: the approval's id (never a task token). */
  approvalId?: string;
}

/** An action of a stage with every run of it. @example `{ actionName: 'Test', status: 'Failed', attempts: [attempt] }` */
export interface ActionView {
  actionName: string;
  status: ActionStatus | NotStarted;
  attempts: ActionAttemptView[];
}

/** The latest evaluation of a stage condition in one stage attempt. @example `{ conditionType: 'BEFORE_ENTRY', stageAttempt: 0, status: 'Succeeded', ruleResults: [], at }` */
export interface ConditionView {
  conditionType: ConditionType;
  stageAttempt: number;
  status: ConditionStatus;
  result?: 'FAIL' | 'SKIP' | 'ROLLBACK' | 'RETRY';
  ruleResults: {
    ruleName: string;
    status: 'InProgress' | 'Abandoned' | 'Succeeded' | 'Failed';
    summary?: string;
  }[];
  at: string;
}

/** A retry of a failed stage. @example `{ stageAttempt: 1, retryMode: 'FAILED_ACTIONS', automatic: false, at, actor }` */
export interface StageRetryView {
  stageAttempt: number;
  retryMode: RetryMode;
  automatic: boolean;
  at: string;
  actor?: EventActor;
}

/** A stage of the execution. `startedAt` is the start of the current attempt. @example `{ stageName: 'Build', status: 'InProgress', stageAttempt: 0, … }` */
export interface StageView {
  stageName: string;
  status: StageStatus | NotStarted;
  /** The current attempt: 0 for the first run, +1 per retry. */
  stageAttempt: number;
  startedAt?: string;
  updatedAt?: string;
  endedAt?: string;
  /** Set while the execution waits at the stage's gate. */
  waiting?: { gate: StageGate; reason: string; since: string; lockHolder?: string };
  skipReason?: string;
  error?: ErrorDetails;
  retries: StageRetryView[];
  conditions: ConditionView[];
  actions: ActionView[];
}

/** An output artifact of the execution, by name (the latest producer wins). @example `{ name: 'BuildOutput', uri, sha256, size, stageName: 'Build', actionName: 'Build', actionExecutionId }` */
export interface ArtifactView extends Artifact {
  stageName: string;
  actionName: string;
  actionExecutionId: string;
}

/** A manual approval. @example `{ approvalId: 'ap-1', status: 'Approved', decidedBy: { kind: 'user', id: 'alice' }, … }` */
export interface ApprovalView {
  approvalId: string;
  stageName: string;
  actionName: string;
  stageAttempt: number;
  attempt: number;
  status: 'Pending' | 'Approved' | 'Rejected' | 'Expired' | 'Abandoned';
  requestedAt?: string;
  expiresAt?: string;
  customData?: string;
  externalEntityLink?: string;
  notified: string[];
  decidedAt?: string;
  decidedBy?: EventActor;
  /** The approver's comment. */
  summary?: string;
}

/** An operator's decision, named after CodePipeline's API call. @example `{ kind: 'StopPipelineExecution', at, actor, abandon: true, reason: 'wrong branch' }` */
export interface OperatorActionView {
  kind: 'StopPipelineExecution' | 'RetryStageExecution' | 'OverrideStageCondition' | 'PutApprovalResult';
  at: string;
  actor?: EventActor;
  stageName?: string;
  actionName?: string;
  abandon?: boolean;
  reason?: string;
  retryMode?: RetryMode;
  conditionType?: 'BEFORE_ENTRY' | 'ON_SUCCESS';
  status?: 'Approved' | 'Rejected';
}

/** Everything known about one execution. `lastSeq` is the last applied event's `seq`. @example `foldExecution(events).status` */
export interface ExecutionView {
  pipelineName: string;
  pipelineExecutionId: string;
  pipelineVersion?: number;
  executionMode?: ExecutionMode;
  executionType: 'STANDARD' | 'ROLLBACK';
  rollbackMetadata?: { rollbackTargetPipelineExecutionId: string; stageName?: string };
  status: ExecutionStatus | NotStarted;
  statusSummary?: string;
  trigger?: ExecutionTrigger;
  variables: ResolvedVariable[];
  sourceRevisions: SourceRevision[];
  startedAt?: string;
  updatedAt?: string;
  endedAt?: string;
  stopTrigger?: { reason?: string; abandon: boolean; at: string; actor?: EventActor };
  supersededBy?: string;
  stages: StageView[];
  artifacts: ArtifactView[];
  /** Output variables per namespace, as `#{Namespace.Name}` resolves them. */
  namespaces: Record<string, Record<string, string>>;
  approvals: ApprovalView[];
  operatorActions: OperatorActionView[];
  lastSeq: number;
}

/**
 * The view before any event: with the pipeline, its stages and actions as `NotStarted`, in order.
 *
 * @example
 * ```ts
 * initialExecutionView(pipeline).stages[0]?.status; // 'NotStarted'
 * ```
 */
export function initialExecutionView(pipeline?: Pipeline): ExecutionView {
  const view: ExecutionView = {
    pipelineName: pipeline?.name ?? '',
    pipelineExecutionId: '',
    executionType: 'STANDARD',
    status: 'NotStarted',
    variables: [],
    sourceRevisions: [],
    stages: (pipeline?.stages ?? []).map((s) =>
      newStageView(
        s.name,
        s.actions.map((a) => a.name),
      ),
    ),
    artifacts: [],
    namespaces: {},
    approvals: [],
    operatorActions: [],
    lastSeq: 0,
  };
  if (pipeline?.version !== undefined) view.pipelineVersion = pipeline.version;
  if (pipeline !== undefined) view.executionMode = pipeline.executionMode;
  return view;
}

/** @internal A stage not started yet. */
export function newStageView(stageName: string, actionNames: readonly string[] = []): StageView {
  return {
    stageName,
    status: 'NotStarted',
    stageAttempt: 0,
    retries: [],
    conditions: [],
    actions: actionNames.map((actionName) => ({ actionName, status: 'NotStarted', attempts: [] })),
  };
}
