/**
 * The Task state, for the two Lambda integrations:
 *
 * - `arn:aws:states:::lambda:invoke` (request/response): the handler registered under
 *   `Arguments.FunctionName` is called with `Arguments.Payload`; `$states.result` is the whole
 *   invoke response `{ ExecutedVersion, Payload, SdkHttpMetadata, SdkResponseMetadata, StatusCode }`.
 * - `arn:aws:states:::lambda:invoke.waitForTaskToken`: the handler is called (it may fail the
 *   task by throwing), then the task waits for `SendTaskSuccess` — whose output is
 *   `$states.result` — or `SendTaskFailure`.
 *
 * `TimeoutSeconds` (default: none) ends an attempt with `States.Timeout`; `HeartbeatSeconds`
 * with `States.HeartbeatTimeout` when no heartbeat came in time (both may be JSONata). A thrown
 * handler error becomes the task error named after the error's `name` (`Error`, `TypeError`, a
 * custom name such as `Lambda.TooManyRequestsException`), with Lambda's cause JSON
 * `{"errorType","errorMessage"}`; a thrown non-Error value is `Lambda.Unknown`. An unknown
 * function name fails with `Lambda.ResourceNotFoundException`.
 *
 * @example
 * ```ts
 * sfn.registerHandler('stage-gate', (payload, { taskToken }) => queue.push({ payload, taskToken }));
 * ```
 */
import { type Cancelled, CancelScope } from './cancellation.ts';
import { StatesError } from './errors.ts';
import type { TaskEventDetails } from './history.ts';
import { isTemplate } from './jsonata-evaluator.ts';
import { withRetryAndCatch } from './retry-catch.ts';
import { enterState, exitState, outputAndAssign, registerStateRunner } from './run-branch.ts';
import { emit, type RunContext, stateContext, type TaskHandler, type Thread } from './run-context.ts';
import { evaluateField } from './state-io.ts';

const WAIT_FOR_TOKEN = 'arn:aws:states:::lambda:invoke.waitForTaskToken';

registerStateRunner('Task', async (ctx, thread, name, state, site, input) => {
  const entered = enterState(ctx, thread, name, state, site, input);
  const variables = thread.variables.snapshot();
  return withRetryAndCatch(
    ctx,
    thread,
    name,
    state,
    site,
    input,
    entered,
    variables,
    async (attempt, retryCount) => {
      const attemptSite = `${site}@${attempt}`;
      const recorded = ctx.replay.outcome(attemptSite);
      const token = state.Resource === WAIT_FOR_TOKEN ? ctx.ids.token() : undefined;
      const context = stateContext(ctx, name, entered, retryCount, token);
      let result: unknown;
      if (recorded) {
        thread.lastEventId = recorded.id;
        const details =
          recorded.taskSucceededEventDetails ??
          recorded.taskFailedEventDetails ??
          recorded.taskTimedOutEventDetails;
        if (recorded.type !== 'TaskSucceeded')
          throw new StatesError(details?.error ?? '', details?.cause ?? '');
        result = JSON.parse(details?.output ?? 'null');
      } else {
        result = await runAttempt(ctx, thread, name, state.Resource ?? '', attemptSite, {
          arguments: await evaluateField(
            ctx,
            thread,
            site,
            state.Arguments ?? {},
            { states: { input, context }, variables },
            'Arguments',
            name,
          ),
          timeoutSeconds: await seconds(
            ctx,
            thread,
            site,
            state.TimeoutSeconds,
            { input, context },
            variables,
            'TimeoutSeconds',
            name,
          ),
          heartbeatSeconds: await seconds(
            ctx,
            thread,
            site,
            state.HeartbeatSeconds,
            { input, context },
            variables,
            'HeartbeatSeconds',
            name,
          ),
          token,
          retryCount,
        });
      }
      const states = { input, result, context };
      const output = await outputAndAssign(ctx, thread, name, site, state, states, variables, result);
      return exitState(ctx, thread, name, state, site, output, state.End === true ? undefined : state.Next);
    },
  );
});

async function seconds(
  ctx: RunContext,
  thread: Thread,
  site: string,
  value: number | string | undefined,
  states: Record<string, unknown>,
  variables: Record<string, unknown>,
  field: string,
  name: string,
): Promise<number | undefined> {
  if (value === undefined) return undefined;
  const n = isTemplate(value)
    ? await evaluateField(ctx, thread, site, value, { states, variables }, field, name)
    : value;
  if (typeof n !== 'number' || !Number.isInteger(n) || n <= 0) {
    throw new StatesError(
      'States.QueryEvaluationError',
      `${field} of state '${name}' must be a positive integer, got ${JSON.stringify(n)}`,
    );
  }
  return n;
}

interface AttemptPlan {
  arguments: unknown;
  timeoutSeconds: number | undefined;
  heartbeatSeconds: number | undefined;
  token: string | undefined;
  retryCount: number;
}

/** Finds the handler for a FunctionName: exact, or the function name inside a Lambda ARN (qualifier ignored). */
export function findHandler(
  handlers: ReadonlyMap<string, TaskHandler>,
  functionName: string,
): TaskHandler | undefined {
  const exact = handlers.get(functionName);
  if (exact) return exact;
  const arn = /^arn:[^:]+:lambda:[^:]*:[^:]*:function:([^:]+)/.exec(functionName);
  const short = /^([^:]+):[^:]+$/.exec(functionName);
  return handlers.get(arn?.[1] ?? short?.[1] ?? '');
}

/** Lambda's function-error mapping of a thrown value. */
export function functionError(thrown: unknown): StatesError {
  if (thrown instanceof StatesError) return thrown;
  if (thrown instanceof Error && thrown.name) {
    return new StatesError(
      thrown.name,
      JSON.stringify({ errorType: thrown.name, errorMessage: thrown.message }),
    );
  }
  return new StatesError(
    'Lambda.Unknown',
    `The function threw a value that is not an Error: ${String(thrown)}`,
  );
}

function runAttempt(
  ctx: RunContext,
  thread: Thread,
  stateName: string,
  resourceArn: string,
  site: string,
  plan: AttemptPlan,
): Promise<unknown> {
  const waitForToken = resourceArn === WAIT_FOR_TOKEN;
  const base: TaskEventDetails = {
    resourceType: 'lambda',
    resource: waitForToken ? 'invoke.waitForTaskToken' : 'invoke',
  };
  const args = (plan.arguments ?? {}) as Record<string, unknown>;
  emit(ctx, thread, {
    type: 'TaskScheduled',
    site,
    taskScheduledEventDetails: {
      ...base,
      region: 'local',
      parameters: JSON.stringify(args),
      ...(plan.timeoutSeconds ? { timeoutInSeconds: plan.timeoutSeconds } : {}),
      ...(plan.heartbeatSeconds ? { heartbeatInSeconds: plan.heartbeatSeconds } : {}),
    },
  });
  emit(ctx, thread, { type: 'TaskStarted', site, taskStartedEventDetails: base });
  const scope = new CancelScope(thread.scope);
  return new Promise<unknown>((resolve, reject) => {
    let settled = false;
    const timers: ReturnType<typeof ctx.clock.setTimer>[] = [];
    const finish = () => {
      settled = true;
      for (const t of timers) ctx.clock.clearTimer(t);
      off();
      if (plan.token) ctx.tokens.close(plan.token);
    };
    const succeed = (result: unknown) => {
      if (settled) return;
      finish();
      emit(ctx, thread, {
        type: 'TaskSucceeded',
        site,
        taskSucceededEventDetails: { ...base, output: JSON.stringify(result) },
      });
      resolve(result);
    };
    const fail = (error: StatesError, timedOut = false) => {
      if (settled) return;
      finish();
      const details = { ...base, error: error.error, cause: error.errorCause };
      if (timedOut) emit(ctx, thread, { type: 'TaskTimedOut', site, taskTimedOutEventDetails: details });
      else emit(ctx, thread, { type: 'TaskFailed', site, taskFailedEventDetails: details });
      reject(error);
    };
    const off = scope.onCancel((reason: Cancelled) => {
      if (settled) return;
      finish();
      reject(reason);
    });
    if (plan.timeoutSeconds) {
      timers.push(
        ctx.clock.setTimer(plan.timeoutSeconds * 1000, () =>
          fail(new StatesError('States.Timeout', ''), true),
        ),
      );
    }
    let heartbeat: ReturnType<typeof ctx.clock.setTimer> | undefined;
    const armHeartbeat = () => {
      if (!plan.heartbeatSeconds || settled) return;
      if (heartbeat) ctx.clock.clearTimer(heartbeat);
      heartbeat = ctx.clock.setTimer(plan.heartbeatSeconds * 1000, () =>
        fail(new StatesError('States.HeartbeatTimeout', ''), true),
      );
      timers.push(heartbeat);
    };
    armHeartbeat();
    const functionName = typeof args.FunctionName === 'string' ? args.FunctionName : '';
    const handler = findHandler(ctx.handlers, functionName);
    if (!handler) {
      fail(
        new StatesError(
          'Lambda.ResourceNotFoundException',
          `Function not found: ${functionName} (register a handler under this name)`,
        ),
      );
      return;
    }
    // A SendTask* that arrives while the invoke is still running takes effect after TaskSubmitted.
    let submitted = false;
    const pending: (() => void)[] = [];
    const whenSubmitted = (action: () => void) => (submitted ? action() : pending.push(action));
    if (plan.token) {
      ctx.tokens.open(plan.token, ctx.facts.executionArn, {
        succeed: (output) => whenSubmitted(() => succeed(output)),
        fail: (error, cause) => whenSubmitted(() => fail(new StatesError(error, cause))),
        heartbeat: armHeartbeat,
      });
    }
    const context = {
      functionName,
      executionArn: ctx.facts.executionArn,
      stateName,
      retryCount: plan.retryCount,
      ...(plan.token ? { taskToken: plan.token } : {}),
    };
    Promise.resolve()
      .then(() => handler(args.Payload ?? null, context))
      .then(
        (payload) => {
          if (settled) return;
          if (waitForToken) {
            emit(ctx, thread, {
              type: 'TaskSubmitted',
              site,
              taskSubmittedEventDetails: { ...base, output: JSON.stringify(invokeResponse(ctx, payload)) },
            });
            submitted = true;
            for (const action of pending.splice(0)) action();
          } else succeed(invokeResponse(ctx, payload));
        },
        (thrown) => fail(functionError(thrown)),
      );
  });
}

function invokeResponse(ctx: RunContext, payload: unknown): Record<string, unknown> {
  const requestId = ctx.ids.uuid();
  return {
    ExecutedVersion: '$LATEST',
    Payload: payload === undefined ? null : payload,
    SdkHttpMetadata: {
      AllHttpHeaders: { 'X-Amz-Executed-Version': ['$LATEST'], 'x-amzn-RequestId': [requestId] },
      HttpHeaders: { 'X-Amz-Executed-Version': '$LATEST', 'x-amzn-RequestId': requestId },
      HttpStatusCode: 200,
    },
    SdkResponseMetadata: { RequestId: requestId },
    StatusCode: 200,
  };
}
