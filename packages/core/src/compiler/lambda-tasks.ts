/**
 * The Lambda invokes a compiled definition is made of: the JSONata expressions they pass, the
 * retry of transient errors, and the payloads of the two functions (docs/execution.md).
 */
import type { Action, Stage } from '../model/pipeline.ts';
import type { AslJson, AslRetrier, AslTaskState } from './asl-types.ts';
import { POLL_STEP_TIMEOUT_SECONDS, polls } from './poll-loop.ts';
import { actionTimeoutSeconds } from './timeouts.ts';

/** A `.waitForTaskToken` invoke: the function replies through the task token. */
export const TOKEN_TASK = 'arn:aws:states:::lambda:invoke.waitForTaskToken';
/** A request/response invoke. */
export const REQUEST_RESPONSE_TASK = 'arn:aws:states:::lambda:invoke';

/**
 * The error name a Pipewright function fails with when trying again may succeed (a throttled
 * table, a lost race after every backoff): the state machine retries it like Lambda's own
 * transient errors. The handlers are idempotent, so a retry repeats nothing.
 */
export const RETRYABLE_ERROR = 'Pipewright.Retryable';

/** Transient Lambda service errors, and Pipewright's retryable ones, retried with the console's defaults. */
export const LAMBDA_RETRY: AslRetrier = {
  ErrorEquals: [
    'Lambda.ServiceException',
    'Lambda.AWSLambdaException',
    'Lambda.SdkClientException',
    'Lambda.TooManyRequestsException',
    RETRYABLE_ERROR,
  ],
  IntervalSeconds: 1,
  MaxAttempts: 3,
  BackoffRate: 2,
  JitterStrategy: 'FULL',
};

// Every JSONata expression of the definition is one of these constants: user text (stage,
// action, pipeline names) only ever appears as a plain JSON string, never inside `{% … %}`.
export const EXPR = {
  pipeline: '{% $pipeline %}',
  executionId: '{% $executionId %}',
  attempt: '{% $attempt %}',
  taskToken: '{% $states.context.Task.Token %}',
  input: '{% $states.input %}',
  result: '{% $states.result %}',
  errorOutput: '{% $states.errorOutput %}',
  nextAttempt: '{% $attempt + 1 %}',
  startPipeline: '{% $states.input.pipeline %}',
  startExecutionId: '{% $states.input.executionId %}',
  finishOutput: '{% {"pipeline": $pipeline, "executionId": $executionId} %}',
  isSkip: '{% $states.input.decision = "SKIP" %}',
  isRetryAll: '{% $states.input.decision = "RETRY_ALL_ACTIONS" %}',
  isRetryFailed: '{% $states.input.decision = "RETRY_FAILED_ACTIONS" %}',
} as const;

/** The `Arguments` of a Lambda invoke. */
export function lambdaArguments(
  functionName: string,
  payload: Record<string, AslJson>,
): Record<string, AslJson> {
  return { FunctionName: functionName, Payload: payload };
}

/** The payload of a `.waitForTaskToken` invoke (key order is part of the compiled bytes). */
export function tokenPayload(kind: string, stage: string, action?: string): Record<string, AslJson> {
  const payload: Record<string, AslJson> = {
    kind,
    pipeline: EXPR.pipeline,
    executionId: EXPR.executionId,
    stage,
  };
  if (action !== undefined) payload.action = action;
  payload.attempt = EXPR.attempt;
  payload.taskToken = EXPR.taskToken;
  return payload;
}

/** The action runner's Task for one action (without `Catch` and `Next`/`End`). */
export function actionTask(stage: Stage, action: Action, actionRunner: string): AslTaskState {
  const t = action.actionTypeId;
  return {
    Type: 'Task',
    Comment: `Action ${action.name}: ${t.category} ${t.owner}/${t.provider} v${t.version}.`,
    Resource: TOKEN_TASK,
    Arguments: lambdaArguments(actionRunner, tokenPayload('action', stage.name, action.name)),
    Output: EXPR.input,
    TimeoutSeconds: polls(action)
      ? Math.min(POLL_STEP_TIMEOUT_SECONDS, actionTimeoutSeconds(action))
      : actionTimeoutSeconds(action),
    Retry: [LAMBDA_RETRY],
  };
}
