/**
 * What the HTTP app is built from: ports only, so one app serves from `pipewright serve` (the
 * local runtime) and from the HTTP Lambda (DynamoDB, S3) alike.
 *
 * @example
 * ```ts
 * const deps: WebDeps = { store, logs, pipelines, approvalKey: key, apiToken: token, control };
 * ```
 */
import type {
  EventActor,
  EventRecord,
  EventStore,
  ExecutionView,
  Pipeline,
  TransitionState,
  TriggerDelivery,
  TriggerResult,
} from '@pipewright/core';
import type { ActionLogStore, MissedDeliveries, SettleReport } from '@pipewright/engine';
import type { UserDirectory } from './identity/user-directory.ts';

/** The pipeline definitions the server has loaded. @example `{ names: () => ['web-app'], get: (n) => map.get(n) }` */
export interface WebPipelines {
  names(): string[];
  get(name: string): Pipeline | undefined;
}

/** The use cases that need the process running executions (its engine holds the task tokens). @example `{ start: (r) => engine.start(r), stop: (id, i) => engine.stop(id, i), settle: (id) => engine.settle(id) }` */
export interface WebControl {
  /** Starts an execution; throws `VariableResolutionError` for bad variables. */
  start(req: {
    pipeline: string;
    variables?: Record<string, string>;
    actor: EventActor;
  }): Promise<{ executionId: string }>;
  /** Stops an execution; throws `ExecutionStateError` when it already ended. */
  stop(
    executionId: string,
    input: { abandon: boolean; reason?: string; actor: EventActor },
  ): Promise<ExecutionView>;
  /**
   * Answers the waiting tasks of an execution after a decision was recorded (`engine.settleReport`).
   * A result `{ closed: [{ stageName, actionName }] }` names tasks that had already closed
   * (Step Functions' `TaskTimedOut`): the approval page then says the pipeline stopped waiting.
   */
  settle(executionId: string): Promise<SettleReport>;
  /** Retries a failed stage (`engine.retryStage`); throws `ExecutionStateError` when not allowed. Absent: 501. */
  retryStage?(
    executionId: string,
    input: { stageName: string; retryMode: 'FAILED_ACTIONS' | 'ALL_ACTIONS'; actor: EventActor },
  ): Promise<ExecutionView>;
  /** Disables a stage's inbound transition (`engine.disableTransition`). Absent: 501. */
  disableTransition?(
    pipeline: string,
    input: { stageName: string; reason: string; actor: EventActor; requestId: string },
  ): Promise<TransitionState>;
  /** Enables a stage's inbound transition and wakes the executions waiting at it (`engine.enableTransition`). Absent: 501. */
  enableTransition?(
    pipeline: string,
    input: { stageName: string; actor: EventActor; requestId: string },
  ): Promise<TransitionState>;
  /**
   * Rolls back a stage (`engine.rollbackStage`): starts a ROLLBACK execution with the target's
   * artifacts; throws `ExecutionStateError` when refused, `UnknownExecutionError` for an unknown
   * target. Absent: 501.
   */
  rollbackStage?(
    pipeline: string,
    input: { stageName: string; targetExecutionId?: string; actor: EventActor },
  ): Promise<{ executionId: string; targetExecutionId: string }>;
}

/** A control that offers `K` (an optional use case such as `retryStage`). */
export type WebControlWith<K extends keyof WebControl> = WebControl & Required<Pick<WebControl, K>>;

/**
 * The control when it offers `method`, typed with the method present; `undefined` when this
 * process does not run executions or does not offer it (the routes then answer 501).
 *
 * @example
 * ```ts
 * const control = controlWith(deps.control, 'retryStage');
 * if (control !== undefined) await control.retryStage(executionId, input);
 * ```
 */
export function controlWith<K extends keyof WebControl>(
  control: WebControl | undefined,
  method: K,
): WebControlWith<K> | undefined {
  return control !== undefined && offers(control, method) ? control : undefined;
}

function offers<K extends keyof WebControl>(control: WebControl, method: K): control is WebControlWith<K> {
  return control[method] !== undefined;
}

/** Delivers webhooks and bus events to a pipeline: records the trigger, starts what matched (`TriggerDispatcher` locally). @example `{ deliver: (pipeline, d) => dispatcher.deliver(pipeline, d) }` */
export interface WebTriggers {
  /** Throws `UnknownPipelineError` for a pipeline that is not served. */
  deliver(pipeline: string, delivery: TriggerDelivery): Promise<TriggerResult>;
  /** Bus events that matched none of the pipeline's triggers and were counted, not recorded (the trigger log shows them). */
  missedDeliveries?(pipeline: string): readonly MissedDeliveries[];
}

/**
 * Events appended to the store, as they are appended (the local runtime's `changes`). The
 * dashboard's live updates are pushed from it; without it they come from reading the store
 * again on a server-side interval while a page listens.
 *
 * @example
 * ```ts
 * const changes: WebChanges = { subscribe: (listener) => runtime.changes.subscribe(listener) };
 * ```
 */
export interface WebChanges {
  /** Calls `listener` with every batch appended from now on; returns the function that stops it. */
  subscribe(listener: (records: readonly EventRecord[]) => void): () => void;
}

/** Dependencies of {@link createApp}. @example `createApp({ store, logs, pipelines, approvalKey, apiToken })` */
export interface WebDeps {
  store: EventStore;
  logs: ActionLogStore;
  pipelines: WebPipelines;
  /** HMAC key of approval links. */
  approvalKey: Uint8Array;
  /**
   * The server's own token: its owner's (an admin). Per-user tokens, roles and approval rules
   * come from {@link WebDeps.users}.
   */
  apiToken: string;
  /** The users file's users, roles, tokens and approval rules; absent: the server's token alone. */
  users?: UserDirectory;
  /** The OpenID Connect client secret (the users file names the variable holding it); absent: a public client. */
  oidcClientSecret?: string;
  /** Present where this process runs executions; without it, start and stop answer 501. */
  control?: WebControl;
  /** Present where triggers start executions; without it, webhooks and `POST /events` answer 501. */
  triggers?: WebTriggers;
  /** The secret a pipeline's GitHub webhook is signed with; `undefined`: the pipeline takes no webhooks (404). */
  webhookSecret?: (pipeline: string) => string | undefined;
  /** Appended events as they happen (live dashboard updates); absent: the dashboard reads the store on an interval while a page listens. */
  changes?: WebChanges;
  /**
   * How long one live dashboard stream lasts at most, in seconds (default: unlimited). Set it
   * below a function's timeout (the HTTP Lambda: 25 s of 30 s): the stream then ends cleanly
   * and the browser reconnects at once.
   */
  liveMaxSeconds?: number;
  /** The clock (default: the system clock). */
  now?: () => Date;
  /** Told about unexpected errors (answered as 500 without details) and failed settles. */
  onError?: (error: unknown) => void;
}
