/**
 * One attempt of a Task: records the scheduled/started events under the resource's names
 * (`Task*`, `LambdaFunction*`, `Activity*`), calls the registered handler, and settles on its
 * result, a `SendTask*` (`.waitForTaskToken`), a timeout, a missed heartbeat or a stop.
 *
 * - `lambda:invoke`: the handler registered under `Payload`'s `FunctionName` (a name, an ARN,
 *   `name:alias`) gets `Payload`; the result is Lambda's invoke response.
 * - A Lambda function ARN: the handler registered under the function name gets the effective
 *   input; the result is its return value.
 * - Other integrations and activities: the handler registered under the resource ARN (or the ARN
 *   without `.sync`/`.waitForTaskToken`, or the activity name) gets the arguments; the result is
 *   its return value (`.sync` waits for it to settle).
 *
 * @example
 * ```ts
 * const result = await runAttempt(ctx, thread, 'Build', parseResource(arn)!, site, plan);
 * ```
 */
import { type Cancelled, CancelScope } from './cancellation.ts';
import type { TimerHandle } from './clock.ts';
import { StatesError } from './errors.ts';
import type { HistoryEventType, NewHistoryEvent } from './history.ts';
import { lazyJson } from './lazy-json.ts';
import {
  detailsKey,
  type EventNames,
  eventNames,
  serviceExceptionName,
  type TaskResource,
} from './resources.ts';
import { emit, type RunContext, type TaskHandler, type Thread } from './run-context.ts';

/** What an attempt was asked to do. */
export interface AttemptPlan {
  arguments: unknown;
  timeoutSeconds: number | undefined;
  heartbeatSeconds: number | undefined;
  token: string | undefined;
  retryCount: number;
}

/** Finds the handler for a FunctionName: exact, or the function name inside a Lambda ARN or `name:qualifier`. */
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

interface Target {
  handler?: TaskHandler;
  payload: unknown;
  name: string;
  missing: () => StatesError;
}

function target(ctx: RunContext, resource: TaskResource, args: unknown): Target {
  if (resource.kind === 'lambda-invoke') {
    const a = (args ?? {}) as Record<string, unknown>;
    const name = typeof a.FunctionName === 'string' ? a.FunctionName : '';
    const handler = findHandler(ctx.handlers, name);
    return {
      ...(handler ? { handler } : {}),
      payload: a.Payload ?? null,
      name,
      missing: () =>
        new StatesError(
          'Lambda.ResourceNotFoundException',
          `Function not found: ${name} (register a handler under this name)`,
        ),
    };
  }
  const keys =
    resource.kind === 'lambda-function'
      ? [resource.arn, resource.name ?? '']
      : [resource.arn, resource.base, resource.name ?? ''];
  const handler = keys.map((k) => ctx.handlers.get(k)).find((h) => h !== undefined);
  const name = resource.kind === 'lambda-function' ? (resource.name as string) : resource.arn;
  const error =
    resource.kind === 'lambda-function'
      ? 'Lambda.ResourceNotFoundException'
      : resource.service.startsWith('aws-sdk:')
        ? serviceExceptionName(resource.service)
        : 'States.Runtime';
  return {
    ...(handler ? { handler } : {}),
    payload: args ?? null,
    name,
    missing: () =>
      new StatesError(
        error,
        `No handler is registered for ${name}; register one with registerHandler('${name}', handler)`,
      ),
  };
}

/** How an attempt's events are written. */
type Record_ = (type: string, details: Record<string, unknown>) => void;

/** What settling an attempt does: the event names and fields, and the promise's callbacks. */
interface Settle {
  names: EventNames;
  base: Record<string, unknown>;
  record: Record_;
  resolve: (value: unknown) => void;
  reject: (reason: unknown) => void;
}

/** The open attempt: settles once, on a result, an error, a timeout or a cancellation. */
class OpenAttempt {
  settled = false;
  readonly #timers: TimerHandle[] = [];
  #heartbeat: TimerHandle | undefined;
  #off: () => void = () => {};
  readonly #ctx: RunContext;
  readonly #plan: AttemptPlan;
  readonly #settle: Settle;

  constructor(ctx: RunContext, plan: AttemptPlan, settle: Settle) {
    this.#ctx = ctx;
    this.#plan = plan;
    this.#settle = settle;
  }

  /** Arms the timeouts and the cancellation of the attempt. */
  start(scope: CancelScope): void {
    this.#off = scope.onCancel((reason: Cancelled) => {
      if (this.#finish()) this.#settle.reject(reason);
    });
    const { timeoutSeconds } = this.#plan;
    if (timeoutSeconds) {
      const timeout = () => this.fail(new StatesError('States.Timeout', ''), true);
      this.#timers.push(this.#ctx.clock.setTimer(timeoutSeconds * 1000, timeout));
    }
    this.armHeartbeat();
  }

  /** (Re)starts the HeartbeatSeconds clock. */
  armHeartbeat = (): void => {
    const seconds = this.#plan.heartbeatSeconds;
    if (!seconds || this.settled) return;
    if (this.#heartbeat) this.#ctx.clock.clearTimer(this.#heartbeat);
    const missed = () => this.fail(new StatesError('States.HeartbeatTimeout', ''), true);
    this.#heartbeat = this.#ctx.clock.setTimer(seconds * 1000, missed);
    this.#timers.push(this.#heartbeat);
  };

  succeed = (result: unknown): void => {
    if (!this.#finish()) return;
    this.#settle.record(this.#settle.names.succeeded, { ...this.#settle.base, output: lazyJson(result) });
    this.#settle.resolve(result);
  };

  fail = (error: StatesError, timedOut = false): void => {
    if (!this.#finish()) return;
    const details = { ...this.#settle.base, error: error.error, cause: error.errorCause };
    this.#settle.record(timedOut ? this.#settle.names.timedOut : this.#settle.names.failed, details);
    this.#settle.reject(error);
  };

  /** Marks the attempt settled (false when it already was) and releases its timers and token. */
  #finish(): boolean {
    if (this.settled) return false;
    this.settled = true;
    for (const t of this.#timers) this.#ctx.clock.clearTimer(t);
    this.#off();
    if (this.#plan.token) this.#ctx.tokens.close(this.#plan.token);
    return true;
  }
}

/** Runs one attempt; resolves with the task result or rejects with a StatesError (or a Cancelled). */
export function runAttempt(
  ctx: RunContext,
  thread: Thread,
  stateName: string,
  resource: TaskResource,
  site: string,
  plan: AttemptPlan,
): Promise<unknown> {
  const names = eventNames(resource);
  const base: Record<string, unknown> =
    names.details === 'task' ? { resourceType: resource.service, resource: resource.action } : {};
  const record: Record_ = (type, details) =>
    emit(ctx, thread, {
      type: type as HistoryEventType,
      site,
      [detailsKey(type)]: details,
    } as NewHistoryEvent);
  // The handler gets its own copy of the arguments (the recorded text, parsed), so that it may
  // change its payload without changing the execution's values or history.
  const text = JSON.stringify(plan.arguments ?? null);
  const scheduled: Record<string, unknown> =
    names.details === 'task'
      ? { ...base, region: 'local', parameters: text }
      : { resource: resource.arn, input: text };
  if (plan.timeoutSeconds) scheduled.timeoutInSeconds = plan.timeoutSeconds;
  if (plan.heartbeatSeconds) scheduled.heartbeatInSeconds = plan.heartbeatSeconds;
  record(names.scheduled, scheduled);
  record(names.started, names.details === 'task' ? base : {});
  const to = target(ctx, resource, JSON.parse(text));
  return new Promise<unknown>((resolve, reject) => {
    const attempt = new OpenAttempt(ctx, plan, { names, base, record, resolve, reject });
    attempt.start(new CancelScope(thread.scope));
    const handler = to.handler;
    if (!handler) return attempt.fail(to.missing());
    // A SendTask* that arrives while the handler is still running takes effect after TaskSubmitted.
    let submitted = false;
    const pending: (() => void)[] = [];
    const whenSubmitted = (action: () => void) => (submitted ? action() : pending.push(action));
    if (plan.token) {
      ctx.tokens.open(plan.token, ctx.facts.executionArn, {
        succeed: (output) => whenSubmitted(() => attempt.succeed(output)),
        fail: (error, cause) => whenSubmitted(() => attempt.fail(new StatesError(error, cause))),
        heartbeat: attempt.armHeartbeat,
      });
    }
    const context = {
      functionName: to.name,
      executionArn: ctx.facts.executionArn,
      stateName,
      retryCount: plan.retryCount,
      ...(plan.token ? { taskToken: plan.token } : {}),
    };
    const wrap = (value: unknown) =>
      resource.kind === 'lambda-invoke' ? invokeResponse(ctx, value) : (value ?? null);
    const onResult = (value: unknown) => {
      if (attempt.settled) return;
      if (!plan.token) return attempt.succeed(wrap(value));
      record('TaskSubmitted', { ...base, output: lazyJson(wrap(value)) });
      submitted = true;
      for (const action of pending.splice(0)) action();
    };
    Promise.resolve()
      .then(() => handler(to.payload, context))
      .then(onResult, (thrown) => attempt.fail(functionError(thrown)));
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
