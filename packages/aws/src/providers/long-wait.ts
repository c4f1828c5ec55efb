/**
 * The shape every AWS deploy provider that waits for a long-running deployment shares
 * (docs/aws.md, "Long waits"): `start` makes the idempotent requests that begin the work and
 * answers `InProgress` with a small state; `poll` looks once at what was started and answers
 * `InProgress` again or the outcome. The state machine waits between the calls, so no Lambda
 * call ever waits for a deployment.
 *
 * A throttled or unavailable service (the SDK's own retries exhausted) does not fail a wait of
 * days: the call answers `InProgress` with the same state and is made again after the next
 * Wait, up to {@link MAX_TRANSIENT_RETRIES} times in a row. A failed `start` is started again
 * (its requests carry idempotency tokens, so nothing runs twice).
 *
 * @example
 * ```ts
 * run: (run) => longWait(run, { start: () => deployment.start(), poll: (state) => deployment.poll(state) }),
 * ```
 */
import type { ActionCategory } from '@pipewright/core';
import type { ActionCancelRequest, ActionOutcome, ActionProvider, ActionRun } from '@pipewright/engine';
import { guardOutcome, ProviderFailure } from '@pipewright/providers';
import { isRetryableSdkError, sdkErrorSummary } from '../sdk-error.ts';
import { type ClientSource, clientOf } from './client-source.ts';

/** Transient failures in a row a long wait rides out before it fails. */
export const MAX_TRANSIENT_RETRIES = 5;
/** The delay before a call that met a transient failure is made again. */
export const TRANSIENT_RETRY_SECONDS = 30;

/** A provider state (identifiers only). `restart` and `transient` are reserved. @example `{ phase: 'stack' }` */
export type WaitState = Record<string, unknown>;

/** The two halves of a long wait. */
export interface LongWait {
  start(): Promise<ActionOutcome>;
  poll(state: WaitState): Promise<ActionOutcome>;
}

/**
 * Runs `start` (first call, or a start being tried again) or `poll` (with the state the last
 * answer gave), turning failures into outcomes and transient ones into another poll.
 *
 * @example
 * ```ts
 * await longWait(run, { start, poll }); // { status: 'InProgress', state: { phase: 'stack' }, pollAfterSeconds: 15 }
 * ```
 */
export async function longWait(run: ActionRun, wait: LongWait): Promise<ActionOutcome> {
  const progress = run.progress;
  const restarting = progress === undefined || progress.restart === true;
  try {
    return await guardTransient(() => (restarting ? wait.start() : wait.poll({ ...progress })));
  } catch (error) {
    const transient = Number(progress?.transient ?? 0) + 1;
    const summary = error instanceof Error ? error.message : String(error);
    if (transient > MAX_TRANSIENT_RETRIES) {
      return guardOutcome(async () => {
        throw new ProviderFailure(
          'SystemUnavailable',
          `${summary} (${MAX_TRANSIENT_RETRIES} times in a row); the service is throttling or unavailable: retry the stage later`,
        );
      });
    }
    run.log.write('system', `${summary}; trying again in ${TRANSIENT_RETRY_SECONDS} s\n`);
    const state = restarting ? { restart: true } : { ...progress };
    return {
      status: 'InProgress',
      state: { ...state, transient },
      pollAfterSeconds: TRANSIENT_RETRY_SECONDS,
    };
  }
}

/** Outcomes for every failure but a transient one, which it throws on (as a plain Error). */
async function guardTransient(body: () => Promise<ActionOutcome>): Promise<ActionOutcome> {
  try {
    return await body();
  } catch (error) {
    if (error instanceof ProviderFailure && error.type === 'SystemUnavailable')
      throw new Error(error.message);
    if (!(error instanceof ProviderFailure) && isRetryableSdkError(error))
      throw new Error(sdkErrorSummary(error));
    return guardOutcome(async () => {
      throw error;
    });
  }
}

/**
 * An `InProgress` answer.
 *
 * @example
 * ```ts
 * inProgress({ phase: 'stack' }, 15, { externalExecutionId: stackId, summary: 'stack web is UPDATE_IN_PROGRESS' });
 * ```
 */
export function inProgress(
  state: WaitState,
  pollAfterSeconds: number,
  extra: { summary?: string; externalExecutionId?: string; externalExecutionUrl?: string } = {},
): ActionOutcome {
  return { status: 'InProgress', state, pollAfterSeconds, ...extra };
}

/**
 * A provider whose action is a long wait driven through one AWS client, resolved for each call
 * (the action's own role and region): `start` and `poll` run under {@link longWait}; `cancel`,
 * when given, stops the work of an abandoned attempt.
 *
 * @example
 * ```ts
 * longWaitProvider({ categories: ['Deploy'], provider: 'ECS', client: options.ecs, start, poll });
 * ```
 */
export function longWaitProvider<C extends object>(spec: {
  categories: readonly ActionCategory[];
  provider: string;
  client: ClientSource<C>;
  start: (run: ActionRun, client: C) => Promise<ActionOutcome>;
  poll: (run: ActionRun, client: C, state: WaitState) => Promise<ActionOutcome>;
  cancel?: (client: C, request: ActionCancelRequest) => Promise<void>;
}): ActionProvider {
  const { client, start, poll, cancel } = spec;
  return {
    categories: spec.categories,
    provider: spec.provider,
    run: (run) =>
      longWait(run, {
        start: async () => start(run, await clientOf(client, run)),
        poll: async (state) => poll(run, await clientOf(client, run), state),
      }),
    ...(cancel ? { cancel: async (request) => cancel(await clientOf(client, request), request) } : {}),
  };
}
