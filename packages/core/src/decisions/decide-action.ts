/**
 * Running an action: the action runner's decision when the state machine invokes it, and the
 * decision when the run ends (succeeded, failed, or waiting for a callback such as an
 * approval).
 *
 * @example
 * ```ts
 * const d = decideAction(view, pipeline, payload, { at, running: new Set() });
 * if (d.run) { const result = await provider.run(…); decideActionOutcome(view2, pipeline, d.run, result, { at }); }
 * ```
 */

import { actionTimeoutSeconds } from '../compiler/timeouts.ts';
import { VariableResolutionError } from '../errors.ts';
import { actionAbandoned, actionFailed, actionStarted, actionSucceeded } from '../events/action-events.ts';
import { approvalRequested } from '../events/approval-events.ts';
import { actionExecutionId } from '../events/event-envelope.ts';
import type { Artifact } from '../events/event-parts.ts';
import type { Action, Pipeline } from '../model/pipeline.ts';
import type { ExecutionView } from '../projections/execution-view.ts';
import { resolveConfiguration } from '../variables/resolve-variables.ts';
import { rollbackLookupView } from './decide-rollback.ts';
import type { DecisionContext } from './decide-stage-boundary.ts';
import { isClosed } from './decide-stage-boundary.ts';
import {
  ACTION_FAILED_ERROR,
  type ActionRef,
  type ActionResult,
  type ActionToRun,
  type Decision,
  type NewExecutionEvent,
} from './decision.ts';
import {
  actionAttempts,
  actionNamed,
  attemptsIn,
  replyFor,
  stageNamed,
  visibleVariables,
} from './execution-lookup.ts';
import type { TaskPayloadOf } from './task-payload.ts';

/** What {@link decideAction} is told besides the time. @example `{ at, running: new Set(['7f0c:Build:Compile:0:1']) }` */
export interface ActionDecisionContext extends DecisionContext {
  /** Action executions this process is running now (a redelivery of one of them changes nothing). */
  running: ReadonlySet<string>;
  /**
   * Every process is short-lived and work runs elsewhere (AWS: each Lambda is a process, builds run
   * in CodeBuild): an attempt in progress is running somewhere, so a redelivered task waits on
   * instead of calling it interrupted. A runner that really died fails its task, and the stage's
   * failure path records the attempt.
   */
  inProgressRunsElsewhere?: boolean;
  /** For a rollback execution: the target execution, where input artifacts and variables are looked up. */
  rollbackTarget?: ExecutionView;
}

/**
 * Decides what the action runner does for an action task:
 * - a duplicate delivery of an ended attempt repeats its reply; one still running waits on;
 * - an attempt left InProgress by a runner that stopped (a crash) is failed and run again;
 * - on a FAILED_ACTIONS retry, an action that succeeded in the previous stage attempt
 *   completes at once;
 * - otherwise `ActionStarted` and the action to run, or — when its configuration cannot be
 *   resolved — `ActionStarted` + `ActionFailed` (ConfigurationError).
 *
 * @example
 * ```ts
 * decideAction(view, pipeline, { kind: 'action', pipeline: 'p', executionId, stage: 'Build', action: 'Compile', attempt: 0, taskToken }, { at, running });
 * ```
 */
export function decideAction(
  view: ExecutionView,
  pipeline: Pipeline,
  payload: TaskPayloadOf<'action'>,
  ctx: ActionDecisionContext,
): Decision {
  const stage = stageNamed(pipeline, payload.stage);
  const action = actionNamed(stage, payload.action);
  const stageAttempt = payload.attempt;
  const current = attemptsIn(view, stage.name, action.name, stageAttempt).at(-1);
  const events: NewExecutionEvent[] = [];
  let attempt = 1;
  if (current !== undefined) {
    const ended = replyFor(current);
    if (ended !== undefined) return { events: [], reply: ended };
    const waitingApproval = view.approvals.some(
      (a) =>
        a.status === 'Pending' &&
        a.stageName === stage.name &&
        a.actionName === action.name &&
        a.stageAttempt === stageAttempt,
    );
    if (ctx.running.has(current.actionExecutionId) || ctx.inProgressRunsElsewhere === true || waitingApproval)
      return { events: [] };
    events.push(
      actionFailed({
        executionId: view.pipelineExecutionId,
        at: ctx.at,
        stageName: stage.name,
        actionName: action.name,
        stageAttempt,
        attempt: current.attempt,
        actionExecutionId: current.actionExecutionId,
        error: {
          code: 'JobFailed',
          message: 'the action was interrupted: its runner stopped before it ended; it runs again',
        },
        retryable: true,
      }),
    );
    attempt = current.attempt + 1;
  } else if (stageAttempt > 0 && reusesEarlierSuccess(view, stage.name, action.name, stageAttempt)) {
    return { events: [], reply: { kind: 'success', output: {} } };
  }
  if (isClosed(view)) return { events };
  const ref: ActionRef = {
    stageName: stage.name,
    actionName: action.name,
    stageAttempt,
    attempt,
    actionExecutionId: actionExecutionId(
      view.pipelineExecutionId,
      stage.name,
      action.name,
      stageAttempt,
      attempt,
    ),
  };
  const base = { executionId: view.pipelineExecutionId, at: ctx.at, ...ref };
  const lookup = rollbackLookupView(view, ctx.rollbackTarget);
  const prepared = prepareAction(lookup, action);
  events.push(
    actionStarted({
      ...base,
      actionTypeId: action.actionTypeId,
      resolvedConfiguration: prepared.ok ? prepared.action.configuration : action.configuration,
      inputArtifacts: prepared.ok ? prepared.inputArtifacts : [],
      ...(action.namespace === undefined ? {} : { namespace: action.namespace }),
      ...(action.region === undefined ? {} : { region: action.region }),
    }),
  );
  if (!prepared.ok) {
    events.push(
      actionFailed({
        ...base,
        error: { code: 'ConfigurationError', message: prepared.message },
        retryable: false,
      }),
    );
    return { events, reply: { kind: 'failure', error: ACTION_FAILED_ERROR, cause: prepared.message } };
  }
  const run: ActionToRun = {
    ...ref,
    action: prepared.action,
    inputArtifacts: prepared.inputArtifacts,
    variables: visibleVariables(lookup),
  };
  return { events, run };
}

function reusesEarlierSuccess(
  view: ExecutionView,
  stageName: string,
  actionName: string,
  stageAttempt: number,
): boolean {
  const stage = view.stages.find((s) => s.stageName === stageName);
  const retry = stage?.retries.find((r) => r.stageAttempt === stageAttempt);
  if (retry?.retryMode !== 'FAILED_ACTIONS') return false;
  const earlier = actionAttempts(view, stageName, actionName).filter((a) => a.stageAttempt < stageAttempt);
  return earlier.at(-1)?.status === 'Succeeded';
}

/**
 * Resolves CodeBuild's `EnvironmentVariables` (JSON text) value by value, so a resolved value
 * holding a quote or a backslash keeps the JSON valid; text that is not such JSON is resolved
 * as plain text (the provider then reports the bad JSON).
 */
/** A source's revision among its output variables: a commit, an S3 object version, an image digest. */
function revisionOf(vars: Readonly<Record<string, string>>): string | undefined {
  return vars.CommitId ?? vars.VersionId ?? vars.ImageDigest;
}

function resolveJsonValues(text: string, context: Parameters<typeof resolveConfiguration>[1]): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return resolveConfiguration({ EnvironmentVariables: text }, context).EnvironmentVariables ?? text;
  }
  if (!Array.isArray(parsed))
    return resolveConfiguration({ EnvironmentVariables: text }, context).EnvironmentVariables ?? text;
  const resolved = parsed.map((entry: unknown, i) => {
    if (typeof entry !== 'object' || entry === null) return entry;
    const e = entry as Record<string, unknown>;
    if (typeof e.value !== 'string' || (e.type !== undefined && e.type !== 'PLAINTEXT')) return e;
    const value = resolveConfiguration({ [`EnvironmentVariables[${i}].value`]: e.value }, context);
    return { ...e, value: Object.values(value)[0] ?? e.value };
  });
  return JSON.stringify(resolved);
}

/** Source providers that fetch a git commit (`CommitId` pins one). */
const GIT_SOURCES = new Set(['Git', 'CodeCommit', 'CodeStarSourceConnection', 'GitHub']);
/** The configuration key that pins a non-git source to the revision a trigger named. */
const PINNED_KEYS: Readonly<Record<string, string>> = { S3: 'S3ObjectVersionId', ECR: 'ImageDigest' };

type Prepared = { ok: true; action: Action; inputArtifacts: Artifact[] } | { ok: false; message: string };

function prepareAction(view: ExecutionView, action: Action): Prepared {
  let configuration: Record<string, string>;
  try {
    const context = {
      executionId: view.pipelineExecutionId,
      pipelineVariables: Object.fromEntries(view.variables.map((v) => [v.name, v.resolvedValue])),
      namespaces: view.namespaces,
    };
    const { EnvironmentVariables: environment, ...rest } = action.configuration;
    configuration = resolveConfiguration(rest, context);
    if (environment !== undefined)
      configuration.EnvironmentVariables = resolveJsonValues(environment, context);
  } catch (e) {
    if (e instanceof VariableResolutionError)
      return { ok: false, message: e.message.replace(/^\[PW\d+\] /, '') };
    throw e;
  }
  // A revision given at start (a webhook's commit, a sourceRevisions override) pins the source.
  const pinned = view.sourceRevisions.find((r) => r.actionName === action.name)?.revisionId;
  if (
    action.actionTypeId.category === 'Source' &&
    pinned !== undefined &&
    GIT_SOURCES.has(action.actionTypeId.provider)
  ) {
    configuration.CommitId = pinned;
  } else if (action.actionTypeId.category === 'Source' && pinned !== undefined) {
    // S3 and ECR sources read the version or image the trigger saw, not whatever is newest now.
    const key = PINNED_KEYS[action.actionTypeId.provider];
    if (key !== undefined) configuration[key] = pinned;
  }
  const inputArtifacts: Artifact[] = [];
  for (const input of action.inputArtifacts) {
    const produced = view.artifacts.filter((a) => a.name === input.name).at(-1);
    if (produced === undefined) {
      return {
        ok: false,
        message: `input artifact ${input.name} was not produced by any earlier action of this execution; check the producing action's outputArtifacts`,
      };
    }
    const { stageName: _s, actionName: _a, actionExecutionId: _id, ...artifact } = produced;
    inputArtifacts.push(artifact);
  }
  return { ok: true, action: { ...action, configuration }, inputArtifacts };
}

/** What {@link decideActionOutcome} is told besides the time. @example `{ at, approvalId: 'ap-1' }` */
export interface OutcomeContext extends DecisionContext {
  /** For a Waiting approval: the id its link carries. */
  approvalId?: string;
  /** Who was told about the approval. */
  notified?: string[];
}

/**
 * Decides how an action attempt ended. Succeeded → `ActionSucceeded` (with the source
 * revision for source actions) and a success reply; Failed → `ActionFailed` and a failure
 * reply; Waiting → for an approval `ApprovalRequested` (expiring with the action's timeout), and
 * no reply until someone decides. An attempt that already ended changes nothing.
 *
 * @example
 * ```ts
 * decideActionOutcome(view, pipeline, ref, { status: 'Succeeded', outputArtifacts: [], outputVariables: {} }, { at });
 * ```
 */
export function decideActionOutcome(
  view: ExecutionView,
  pipeline: Pipeline,
  ref: ActionRef,
  result: ActionResult,
  ctx: OutcomeContext,
): Decision {
  const attempt = attemptsIn(view, ref.stageName, ref.actionName, ref.stageAttempt).find(
    (a) => a.attempt === ref.attempt,
  );
  if (attempt !== undefined && attempt.status !== 'InProgress') {
    const reply = replyFor(attempt);
    return reply === undefined ? { events: [] } : { events: [], reply };
  }
  const action = actionNamed(stageNamed(pipeline, ref.stageName), ref.actionName);
  // The ref's own fields only: the engine passes an `ActionToRun`, whose action and variables are no event data.
  const { stageName, actionName, stageAttempt, attempt: n, actionExecutionId: id } = ref;
  const base = {
    executionId: view.pipelineExecutionId,
    at: ctx.at,
    stageName,
    actionName,
    stageAttempt,
    attempt: n,
    actionExecutionId: id,
  };
  const external = (r: { externalExecutionId?: string; externalExecutionUrl?: string }) => ({
    ...(r.externalExecutionId === undefined ? {} : { externalExecutionId: r.externalExecutionId }),
    ...(r.externalExecutionUrl === undefined ? {} : { externalExecutionUrl: r.externalExecutionUrl }),
  });
  if (result.status === 'Succeeded') {
    const vars = result.outputVariables;
    const isSource = action.actionTypeId.category === 'Source';
    const succeeded = actionSucceeded({
      ...base,
      outputArtifacts: result.outputArtifacts,
      outputVariables: vars,
      ...external(result),
      ...(result.summary === undefined ? {} : { summary: result.summary }),
      ...(isSource && revisionOf(vars) !== undefined
        ? {
            sourceRevision: {
              revisionId: revisionOf(vars) as string,
              ...(vars.CommitMessage === undefined ? {} : { revisionSummary: vars.CommitMessage }),
            },
          }
        : {}),
    });
    return { events: [succeeded], reply: { kind: 'success', output: {} } };
  }
  if (view.status === 'Stopping' && view.stopTrigger?.abandon === true) {
    return {
      events: [actionAbandoned({ ...base, reason: view.stopTrigger.reason ?? 'the execution was stopped' })],
      reply: { kind: 'failure', error: ACTION_FAILED_ERROR, cause: 'the execution was stopped' },
    };
  }
  if (result.status === 'Failed') {
    const failed = actionFailed({
      ...base,
      error: { code: result.error.type, message: result.error.message },
      retryable: result.error.type === 'SystemUnavailable' || result.error.type === 'RevisionUnavailable',
      ...external(result),
    });
    return {
      events: [failed],
      reply: {
        kind: 'failure',
        error: ACTION_FAILED_ERROR,
        cause: `${ref.stageName}/${ref.actionName}: ${result.error.message}`,
      },
    };
  }
  if (action.actionTypeId.category !== 'Approval' || ctx.approvalId === undefined) return { events: [] };
  if (
    view.approvals.some(
      (a) =>
        a.stageName === ref.stageName &&
        a.actionName === ref.actionName &&
        a.stageAttempt === ref.stageAttempt &&
        a.attempt === ref.attempt,
    )
  ) {
    return { events: [] };
  }
  const resolved = attempt?.resolvedConfiguration ?? action.configuration;
  const expiresAt = new Date(Date.parse(ctx.at) + actionTimeoutSeconds(action) * 1000).toISOString();
  const requested = approvalRequested({
    executionId: view.pipelineExecutionId,
    at: ctx.at,
    stageName: ref.stageName,
    actionName: ref.actionName,
    stageAttempt: ref.stageAttempt,
    attempt: ref.attempt,
    approvalId: ctx.approvalId,
    ...(resolved.CustomData === undefined ? {} : { customData: resolved.CustomData }),
    ...(resolved.ExternalEntityLink === undefined ? {} : { externalEntityLink: resolved.ExternalEntityLink }),
    expiresAt,
    notified: ctx.notified ?? [],
  });
  return { events: [requested] };
}
