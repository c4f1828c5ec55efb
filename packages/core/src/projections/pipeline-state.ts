/**
 * The pipeline state view, shaped like CodePipeline's `GetPipelineState`, plus the execution
 * mode's stage locks and queues. Never carries a task token: approvals are named by `approvalId`.
 *
 * @example
 * ```ts
 * const state = foldPipelineState(pipeline, pipelineEvents, executions.map((e) => foldExecution(e, pipeline)));
 * state.stageStates[2]?.actionStates[0]?.latestExecution?.approvalId;
 * ```
 */
import type { ErrorDetails, StoredEvent } from '../events/index.ts';
import type { ExecutionMode, Pipeline } from '../model/pipeline.ts';
import type { ActionAttemptView, ExecutionView, StageView } from './execution-view.ts';
import {
  foldPipelineStream,
  type StageLockState,
  type TransitionState,
  type TriggerView,
} from './pipeline-stream-view.ts';

/** An execution and its status, as in `inboundExecution(s)`/`latestExecution`. @example `{ pipelineExecutionId: '7f0c', status: 'InProgress' }` */
export interface ExecutionRef {
  pipelineExecutionId: string;
  status: string;
}

/** CodePipeline's `ActionState` (no `token`: `approvalId` instead). @example `{ actionName: 'Review', latestExecution: { status: 'InProgress', approvalId: 'ap-1', … } }` */
export interface ActionState {
  actionName: string;
  latestExecution?: {
    pipelineExecutionId: string;
    actionExecutionId: string;
    status: ActionAttemptView['status'];
    lastStatusChange: string;
    summary?: string;
    lastUpdatedBy?: string;
    approvalId?: string;
    externalExecutionId?: string;
    externalExecutionUrl?: string;
    errorDetails?: ErrorDetails;
  };
  currentRevision?: { revisionId: string };
}

/** CodePipeline's `StageState`. @example `{ stageName: 'Deploy', inboundTransitionState: { enabled: true }, inboundExecutions: [], actionStates: [] }` */
export interface StageState {
  stageName: string;
  inboundExecution?: ExecutionRef;
  inboundExecutions: ExecutionRef[];
  inboundTransitionState: TransitionState;
  actionStates: ActionState[];
  latestExecution?: ExecutionRef & { type: 'STANDARD' | 'ROLLBACK' };
  retryStageMetadata?: {
    autoStageRetryAttempt: number;
    manualStageRetryAttempt: number;
    latestRetryTrigger: 'AutomatedStageRetry' | 'ManualStageRetry';
  };
}

/** The pipeline's state. @example `foldPipelineState(pipeline, events, views).stageLocks` */
export interface PipelineState {
  pipelineName: string;
  pipelineVersion?: number;
  executionMode: ExecutionMode;
  created?: string;
  updated?: string;
  stageStates: StageState[];
  stageLocks: StageLockState[];
  recentTriggers: TriggerView[];
}

/**
 * Folds the pipeline's stream and its latest executions' views into its state. Per stage,
 * the latest execution is the one that entered the stage last; per action, the latest run.
 *
 * @example
 * ```ts
 * foldPipelineState(pipeline, [], [view]).stageStates.map((s) => s.latestExecution?.status);
 * ```
 */
export function foldPipelineState(
  pipeline: Pipeline,
  pipelineStreamEvents: Iterable<StoredEvent>,
  latestExecutions: readonly ExecutionView[],
): PipelineState {
  const stream = foldPipelineStream(pipeline, pipelineStreamEvents);
  const state: PipelineState = {
    pipelineName: pipeline.name,
    executionMode: pipeline.executionMode,
    stageStates: pipeline.stages.map((stage) => {
      const queue = stream.stageLocks.find((l) => l.stageName === stage.name)?.queue ?? [];
      const entries = latestExecutions.flatMap((view, index) => {
        const s = view.stages.find((x) => x.stageName === stage.name);
        return s === undefined ? [] : [{ view, stage: s, index }];
      });
      const inbound = inboundExecutions(queue, entries);
      const stageState: StageState = {
        stageName: stage.name,
        inboundExecutions: inbound,
        inboundTransitionState: stream.transitions[stage.name] ?? { enabled: true },
        actionStates: stage.actions.map((a) => actionState(a.name, entries)),
      };
      if (inbound[0] !== undefined) stageState.inboundExecution = inbound[0];
      const latest = latestOf(
        entries.filter((x) => x.stage.status !== 'NotStarted'),
        (x) => x.stage.startedAt ?? x.stage.updatedAt,
      );
      if (latest !== undefined) {
        stageState.latestExecution = {
          pipelineExecutionId: latest.view.pipelineExecutionId,
          status: latest.stage.status,
          type: latest.view.executionType,
        };
        const retries = latest.stage.retries;
        const last = retries.at(-1);
        if (last !== undefined) {
          const auto = retries.filter((r) => r.automatic).length;
          stageState.retryStageMetadata = {
            autoStageRetryAttempt: auto,
            manualStageRetryAttempt: retries.length - auto,
            latestRetryTrigger: last.automatic ? 'AutomatedStageRetry' : 'ManualStageRetry',
          };
        }
      }
      return stageState;
    }),
    stageLocks: stream.stageLocks,
    recentTriggers: stream.recentTriggers,
  };
  if (stream.pipelineVersion !== undefined) state.pipelineVersion = stream.pipelineVersion;
  if (stream.created !== undefined) state.created = stream.created;
  if (stream.updated !== undefined) state.updated = stream.updated;
  return state;
}

interface Entry {
  view: ExecutionView;
  stage: StageView;
  index: number;
}

/** The item with the greatest time (ISO strings compare in order); ties go to the later item. */
function latestOf<T>(items: readonly T[], time: (item: T) => string | undefined): T | undefined {
  let best: T | undefined;
  let bestTime = '';
  for (const item of items) {
    const t = time(item) ?? '';
    if (best === undefined || t >= bestTime) {
      best = item;
      bestTime = t;
    }
  }
  return best;
}

function inboundExecutions(queue: StageLockState['queue'], entries: readonly Entry[]): ExecutionRef[] {
  const statusOf = (id: string) =>
    entries.find((x) => x.view.pipelineExecutionId === id)?.view.status ?? 'InProgress';
  const refs: ExecutionRef[] = queue.map((q) => ({
    pipelineExecutionId: q.pipelineExecutionId,
    status: statusOf(q.pipelineExecutionId),
  }));
  const waiting = entries
    .filter((x) => x.stage.waiting !== undefined && x.view.endedAt === undefined)
    .filter((x) => !refs.some((r) => r.pipelineExecutionId === x.view.pipelineExecutionId))
    .sort((a, b) =>
      (a.stage.waiting?.since ?? '') < (b.stage.waiting?.since ?? '') ? -1 : a.index - b.index,
    );
  for (const x of waiting)
    refs.push({ pipelineExecutionId: x.view.pipelineExecutionId, status: x.view.status });
  return refs;
}

function actionState(actionName: string, entries: readonly Entry[]): ActionState {
  const runs = entries.flatMap(({ view, stage }) =>
    (stage.actions.find((a) => a.actionName === actionName)?.attempts ?? []).map((attempt) => ({
      view,
      attempt,
    })),
  );
  const state: ActionState = { actionName };
  const latest = latestOf(runs, (r) => r.attempt.startedAt);
  if (latest === undefined) return state;
  const { view, attempt } = latest;
  const approval = view.approvals.find((a) => a.approvalId === attempt.approvalId);
  state.latestExecution = {
    pipelineExecutionId: view.pipelineExecutionId,
    actionExecutionId: attempt.actionExecutionId,
    status: attempt.status,
    lastStatusChange: attempt.endedAt ?? attempt.startedAt,
    ...(attempt.summary === undefined ? {} : { summary: attempt.summary }),
    ...(approval?.decidedBy === undefined ? {} : { lastUpdatedBy: approval.decidedBy.id }),
    ...(attempt.approvalId === undefined ? {} : { approvalId: attempt.approvalId }),
    ...(attempt.externalExecutionId === undefined
      ? {}
      : { externalExecutionId: attempt.externalExecutionId }),
    ...(attempt.externalExecutionUrl === undefined
      ? {}
      : { externalExecutionUrl: attempt.externalExecutionUrl }),
    ...(attempt.error === undefined ? {} : { errorDetails: attempt.error }),
  };
  const revisionId = view.sourceRevisions.find((r) => r.actionName === actionName)?.revisionId;
  if (revisionId !== undefined) state.currentRevision = { revisionId };
  return state;
}
