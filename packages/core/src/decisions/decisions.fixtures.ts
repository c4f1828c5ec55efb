/**
 * Shared fixtures of the deciders' tests: a three-stage pipeline (Source, Build, Approve),
 * event builders for execution `x1` at fixed times, the event histories the tests start from,
 * the task payloads the compiler would send, and small readers of a `Decision`.
 *
 * @example
 * ```ts
 * const d = decideGate(viewOf([started]), gate('Source'), { at: T });
 * ```
 */

import {
  actionExecutionId,
  actionFailed,
  actionStarted,
  actionSucceeded,
  approvalRequested,
  type ExecutionEvent,
  pipelineExecutionStarted,
  stageStarted,
  stageSucceeded,
} from '../events/index.ts';
import type { Action, ActionCategory, Pipeline, Stage } from '../model/pipeline.ts';
import { executionStream } from '../ports/event-store.ts';
import { foldExecution } from '../projections/fold-execution.ts';
import { fakeAction } from '../testing/fake-pipeline.ts';
import {
  ACTION_FAILED_ERROR,
  type ActionRef,
  type Decision,
  type NewExecutionEvent,
  type TaskPayloadOf,
} from './index.ts';

/** The execution id of every fixture. @example `executionStream(X)` */
export const X = 'x1';
/** A fixed time, `minute` minutes after {@link T}. @example `at(5) // '2026-01-02T03:05:00.000Z'` */
export const at = (minute: number) => `2026-01-02T03:${String(minute).padStart(2, '0')}:00.000Z`;
/** The fixed time most events carry. @example `stageStarted({ executionId: X, at: T, … })` */
export const T = at(0);
/** A user who approves or retries. @example `{ actor: alice }` */
export const alice = { kind: 'user' as const, id: 'alice' };
/** Another user. @example `{ actor: bob }` */
export const bob = { kind: 'user' as const, id: 'bob' };
/** The artifact the Source stage produces. @example `outputArtifacts: [ARTIFACT]` */
export const ARTIFACT = {
  name: 'SourceOutput',
  uri: 'file:///artifacts/source.zip',
  sha256: 'ab12',
  size: 3,
};

/** An action of a category, provider `Fake` (`Manual` for approvals). @example `action('Lint', 'Test')` */
export function action(name: string, category: ActionCategory, extra: Partial<Action> = {}): Action {
  return fakeAction(name, category, extra);
}

/** The Source, Build, Approve pipeline, its Build stage changed by `build`. @example `pipelineOf({ onFailure })` */
export function pipelineOf(build: Partial<Stage> = {}): Pipeline {
  return {
    name: 'p',
    executionMode: 'SUPERSEDED',
    pipelineType: 'V2',
    variables: [{ name: 'ENV', defaultValue: 'dev' }],
    triggers: [],
    stages: [
      {
        name: 'Source',
        actions: [
          action('Checkout', 'Source', {
            namespace: 'SourceVariables',
            outputArtifacts: [{ name: 'SourceOutput' }],
          }),
        ],
      },
      {
        name: 'Build',
        actions: [
          action('Compile', 'Build', {
            namespace: 'BuildVariables',
            inputArtifacts: [{ name: 'SourceOutput' }],
            configuration: {
              Target: '#{variables.ENV}',
              Commit: '#{SourceVariables.CommitId}',
              Run: 'run-#{codepipeline.PipelineExecutionId}',
            },
          }),
          action('Lint', 'Test'),
        ],
        ...build,
      },
      {
        name: 'Approve',
        actions: [
          action('Release', 'Approval', { configuration: { CustomData: 'check #{variables.ENV}' } }),
          action('Audit', 'Approval', { timeoutInMinutes: 60 }),
        ],
      },
    ],
  };
}
/** The pipeline as {@link pipelineOf} builds it. @example `decideAction(view, PIPELINE, task, ctx)` */
export const PIPELINE = pipelineOf();
/** The pipeline whose Build stage retries its failed actions on failure. @example `viewOf(events, RETRYING)` */
export const RETRYING = pipelineOf({
  onFailure: { result: 'RETRY', retryConfiguration: { retryMode: 'FAILED_ACTIONS' } },
});

/** The events as the store holds them: `seq` from 1 and the execution's stream. */
function stored(events: readonly NewExecutionEvent[]): ExecutionEvent[] {
  return events.map((e, i) => ({ ...e, seq: i + 1, stream: executionStream(X) }) as ExecutionEvent);
}
/** The execution's view after `events`, as stored. @example `viewOf(INTO_BUILD).status` */
export const viewOf = (events: readonly NewExecutionEvent[], pipeline = PIPELINE) =>
  foldExecution(stored(events), pipeline);

/** The execution's first event, `ENV` resolved to `prod`. @example `viewOf([started])` */
export const started = pipelineExecutionStarted({
  executionId: X,
  at: T,
  pipelineName: 'p',
  pipelineExecutionId: X,
  pipelineVersion: 1,
  executionMode: 'SUPERSEDED',
  executionType: 'STANDARD',
  trigger: { triggerType: 'StartPipelineExecution' },
  variables: [{ name: 'ENV', resolvedValue: 'prod' }],
  sourceRevisions: [],
});
/** The fields of a stage event. @example `stageStarted(stage('Build'))` */
export const stage = (stageName: string, stageAttempt = 0) => ({
  executionId: X,
  at: T,
  stageName,
  stageAttempt,
});
/** The reference of an action execution. @example `aref('Source', 'Checkout')` */
export const aref = (stageName: string, actionName: string, stageAttempt = 0, attempt = 1): ActionRef => ({
  stageName,
  actionName,
  stageAttempt,
  attempt,
  actionExecutionId: actionExecutionId(X, stageName, actionName, stageAttempt, attempt),
});
/** The fields of an action event. @example `approvalRequested({ ...ref('Approve', 'Audit'), … })` */
export const ref = (stageName: string, actionName: string, stageAttempt = 0, attempt = 1) => ({
  executionId: X,
  at: T,
  ...aref(stageName, actionName, stageAttempt, attempt),
});
/** `ActionStarted` of an action, no inputs. @example `begin('Build', 'Compile')` */
export const begin = (
  s: string,
  a: string,
  sa = 0,
  n = 1,
  extra: { resolvedConfiguration?: Record<string, string> } = {},
) => actionStarted({ ...ref(s, a, sa, n), resolvedConfiguration: {}, inputArtifacts: [], ...extra });
/** `ActionSucceeded` of an action, no outputs. @example `succeed('Build', 'Lint')` */
export const succeed = (s: string, a: string, sa = 0, n = 1) =>
  actionSucceeded({ ...ref(s, a, sa, n), outputArtifacts: [], outputVariables: {} });
/** `ActionFailed` of an action with `JobFailed: exit 1`. @example `fail('Build', 'Compile')` */
export const fail = (s: string, a: string, sa = 0, n = 1) =>
  actionFailed({ ...ref(s, a, sa, n), error: { code: 'JobFailed', message: 'exit 1' }, retryable: false });

/** Started, Source done (artifact + `SourceVariables.CommitId`), Build entered. @example `viewOf(INTO_BUILD)` */
export const INTO_BUILD: NewExecutionEvent[] = [
  started,
  stageStarted(stage('Source')),
  actionStarted({
    ...ref('Source', 'Checkout'),
    resolvedConfiguration: {},
    inputArtifacts: [],
    namespace: 'SourceVariables',
  }),
  actionSucceeded({
    ...ref('Source', 'Checkout'),
    outputArtifacts: [ARTIFACT],
    outputVariables: { CommitId: '4f2a9c1' },
  }),
  stageSucceeded(stage('Source')),
  stageStarted(stage('Build')),
];
/** Build done, Approve entered, Release waiting for approval `ap-1`. @example `viewOf(RELEASE_WAITING)` */
export const RELEASE_WAITING: NewExecutionEvent[] = [
  ...INTO_BUILD,
  begin('Build', 'Compile'),
  succeed('Build', 'Compile'),
  begin('Build', 'Lint'),
  succeed('Build', 'Lint'),
  stageSucceeded(stage('Build')),
  stageStarted(stage('Approve')),
  begin('Approve', 'Release', 0, 1, { resolvedConfiguration: { CustomData: 'check prod' } }),
  approvalRequested({
    ...ref('Approve', 'Release'),
    approvalId: 'ap-1',
    expiresAt: '2026-01-09T03:00:00.000Z',
    notified: [],
  }),
];
/** Build attempt 0: Compile failed, Lint succeeded. @example `viewOf(BUILD_FAILED_PARTLY)` */
export const BUILD_FAILED_PARTLY: NewExecutionEvent[] = [
  ...INTO_BUILD,
  begin('Build', 'Compile'),
  fail('Build', 'Compile'),
  begin('Build', 'Lint'),
  succeed('Build', 'Lint'),
];

const task = { pipeline: 'p', executionId: X, taskToken: 'tok' };
/** The payload of a stage's gate task. @example `gate('Build', 1)` */
export const gate = (s: string, attempt = 0): TaskPayloadOf<'gate'> => ({
  kind: 'gate',
  ...task,
  stage: s,
  attempt,
});
/** The payload of a stage's leave task. @example `leave('Build')` */
export const leave = (s: string, attempt = 0): TaskPayloadOf<'leave'> => ({
  kind: 'leave',
  ...task,
  stage: s,
  attempt,
});
/** The payload of an action task. @example `act('Build', 'Compile')` */
export const act = (s: string, a: string, attempt = 0): TaskPayloadOf<'action'> => ({
  kind: 'action',
  ...task,
  stage: s,
  action: a,
  attempt,
});
/** The payload of a stage's failure handler with the caught error. @example `failedTask('Build', CAUGHT)` */
export const failedTask = (
  s: string,
  error: { Error?: string; Cause?: string },
  attempt = 0,
): TaskPayloadOf<'stageFailed'> => ({
  kind: 'stageFailed',
  ...task,
  stage: s,
  attempt,
  error,
});
/** The error a failed Build/Compile raises in the state machine. @example `failedTask('Build', CAUGHT)` */
export const CAUGHT = { Error: ACTION_FAILED_ERROR, Cause: 'Build/Compile: exit 1' };
/** No action running in this process. @example `{ at: T, running: NONE }` */
export const NONE: ReadonlySet<string> = new Set();

/** The types of the events a decision records. @example `types(d) // ['StageStarted']` */
export const types = (d: Decision) => d.events.map((e) => e.type);
/** The decision's event of a type; throws when it has none. @example `eventOf(d, 'ActionFailed').data.error` */
export function eventOf<K extends NewExecutionEvent['type']>(
  d: Decision,
  type: K,
): Extract<NewExecutionEvent, { type: K }> {
  const found = d.events.find((e) => e.type === type);
  if (found === undefined) throw new Error(`no ${type} among ${types(d).join(', ')}`);
  return found as Extract<NewExecutionEvent, { type: K }>;
}
/** The reply of a gate that enters its stage. @example `expect(d.reply).toEqual(ENTER)` */
export const ENTER = { kind: 'success', output: { decision: 'ENTER' } };
/** The reply of a task that succeeded. @example `expect(d.reply).toEqual(OK)` */
export const OK = { kind: 'success', output: {} };
