/**
 * What the interpreter needs while it runs one execution: the injected effects (clock,
 * randomness, ids), the task handlers, the token registry, the journal index, and the event
 * sink. A {@link Thread} is one line of control (the top level or a Parallel branch) with its
 * variable scope and cancellation scope.
 *
 * @example
 * ```ts
 * const child: Thread = { prefix: `${site}@0/1/`, lastEventId: thread.lastEventId, variables: new VariableScope(thread.variables), scope };
 * ```
 */
import type { CancelScope } from './cancellation.ts';
import type { Clock } from './clock.ts';
import { StatesError } from './errors.ts';
import type { HistoryEvent, HistoryEventType, NewHistoryEvent } from './history.ts';
import type { JsonataEvaluator } from './jsonata-evaluator.ts';
import type { ReplayIndex } from './replay-index.ts';
import type { TaskTokens } from './task-tokens.ts';

/** What a task handler is told about the invocation. */
export interface TaskHandlerContext {
  /** `FunctionName` as the state passed it (lambda:invoke), the function name (a Lambda ARN), or the resource ARN. */
  functionName: string;
  /** The task token (only for `.waitForTaskToken` tasks). */
  taskToken?: string;
  executionArn: string;
  stateName: string;
  /** `$states.context.State.RetryCount`. */
  retryCount: number;
}

/**
 * A local stand-in for a Lambda function, a service or SDK integration, an activity, or a Map's
 * ItemReader/ResultWriter. For `lambda:invoke` its return value becomes the invoke response's
 * `Payload`; for a Lambda function ARN, an integration (`.sync` included: it may return a
 * promise) or an activity it is the task result. A throw is a function error (Error = the
 * thrown error's `name`). For `.waitForTaskToken` the task waits for SendTask* after it returns.
 *
 * @example
 * ```ts
 * const getItem: TaskHandler = async (args) => ({ Item: await table.get(args) });
 * sfn.registerHandler('arn:aws:states:::aws-sdk:dynamodb:getItem', getItem);
 * ```
 */
export type TaskHandler = (payload: unknown, context: TaskHandlerContext) => unknown;

/** Sources of the identifiers the runtime makes. */
export interface IdSource {
  /** A task token (must be unique and hard to guess in production). */
  token(): string;
  /** A UUID (execution names, `$uuid()`, Lambda request ids). */
  uuid(): string;
}

/** The workflow variables of one scope, reading through to the outer scopes. */
export class VariableScope {
  readonly #outer: VariableScope | undefined;
  readonly #own = new Map<string, unknown>();

  constructor(outer?: VariableScope) {
    this.#outer = outer;
  }

  /** Every variable visible here, inner values over outer ones. */
  snapshot(): Record<string, unknown> {
    const all = this.#outer ? this.#outer.snapshot() : {};
    for (const [k, v] of this.#own) all[k] = v;
    return all;
  }

  /** Assigns variables in this scope. */
  assign(values: Record<string, unknown>): void {
    for (const [k, v] of Object.entries(values)) this.#own.set(k, v);
  }
}

/** The facts of the execution that `$states.context` exposes. */
export interface ExecutionFacts {
  executionArn: string;
  name: string;
  input: unknown;
  startTime: string;
  redriveCount: number;
  redriveTime?: string;
  stateMachineArn: string;
  stateMachineName: string;
}

/** One line of control: the top level, a Parallel branch or a Map iteration. */
export interface Thread {
  /** Prefix of the sites of this thread's states ('' at the top level). */
  prefix: string;
  /** Id of the last event this thread emitted or replayed (the next event's previousEventId). */
  lastEventId: number;
  variables: VariableScope;
  scope: CancelScope;
  /** Id of the `…StateEntered` event of the state this thread is running (error causes cite it). */
  enteredEventId?: number;
}

/** Everything the interpreter needs to run one execution. */
export interface RunContext {
  clock: Clock;
  random: () => number;
  ids: IdSource;
  evaluator: JsonataEvaluator;
  /** The machine's query language, which states without their own `QueryLanguage` use. */
  queryLanguage: 'JSONata' | 'JSONPath';
  handlers: ReadonlyMap<string, TaskHandler>;
  tokens: TaskTokens;
  replay: ReplayIndex;
  facts: ExecutionFacts;
  /** Appends an event to the history (and the journal); returns it. */
  append(event: NewHistoryEvent, previousEventId: number): HistoryEvent;
}

/** Emits an event on a thread. */
export function emit(ctx: RunContext, thread: Thread, event: NewHistoryEvent): HistoryEvent {
  const appended = ctx.append(event, thread.lastEventId);
  thread.lastEventId = appended.id;
  return appended;
}

/** Emits an event unless the journal already has one of that type at that site; returns the (recorded) event. */
export function emitOnce(
  ctx: RunContext,
  thread: Thread,
  event: NewHistoryEvent & { site: string },
): HistoryEvent {
  const recorded = ctx.replay.find(event.site, event.type as HistoryEventType);
  if (recorded) {
    thread.lastEventId = recorded.id;
    return recorded;
  }
  return emit(ctx, thread, event);
}

const sharedContext = new WeakMap<ExecutionFacts, { Execution: object; StateMachine: object }>();

/** `$states.context` for a state (its Execution and StateMachine parts are built once per run). */
export function stateContext(
  ctx: RunContext,
  stateName: string,
  enteredTime: string,
  retryCount: number,
  taskToken?: string,
): Record<string, unknown> {
  const f = ctx.facts;
  let shared = sharedContext.get(f);
  if (!shared) {
    shared = {
      Execution: {
        Id: f.executionArn,
        Name: f.name,
        Input: f.input,
        StartTime: f.startTime,
        RedriveCount: f.redriveCount,
        ...(f.redriveTime ? { RedriveTime: f.redriveTime } : {}),
        RoleArn: 'arn:aws:iam::000000000000:role/pipewright-local',
      },
      StateMachine: { Id: f.stateMachineArn, Name: f.stateMachineName },
    };
    sharedContext.set(f, shared);
  }
  const context: Record<string, unknown> = {
    Execution: shared.Execution,
    State: { Name: stateName, EnteredTime: enteredTime, RetryCount: retryCount },
    StateMachine: shared.StateMachine,
  };
  if (taskToken !== undefined) context.Task = { Token: taskToken };
  return context;
}

/** The ISO timestamp of the clock's now. */
export function isoNow(ctx: RunContext): string {
  return new Date(ctx.clock.now()).toISOString();
}

/**
 * Step Functions' causes say which history event entered the failing state: "An error occurred
 * while executing the state 'S' (entered at the event id #2). …". Errors are raised knowing only
 * the state's name; this adds the event id.
 */
export function locateError(error: unknown, name: string, thread: Thread): unknown {
  if (!(error instanceof StatesError) || thread.enteredEventId === undefined) return error;
  const prefix = `An error occurred while executing the state '${name}'. `;
  if (!error.errorCause.startsWith(prefix)) return error;
  const located = `An error occurred while executing the state '${name}' (entered at the event id #${thread.enteredEventId}). `;
  return new StatesError(error.error, located + error.errorCause.slice(prefix.length));
}
