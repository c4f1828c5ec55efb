/**
 * The engine's operator controls: retry a failed stage (RetryStageExecution) and disable or
 * enable a stage's inbound transition (Disable/EnableStageTransition), with the transition
 * step of the stage gate. The rules are core's (`decideRetryStage`, `decideRetryLock`,
 * `decideDisableTransition`, `decideEnableTransition`, `decideTransitionGate`); this class
 * reads, decides, appends and acts through the {@link EngineHost} the engine gives it.
 *
 * @example
 * ```ts
 * const ops = new OperatorControls(host);
 * if (!(await ops.passTransition(pipeline, gatePayload))) return; // waits at a disabled transition
 * ```
 */
import {
  type Decision,
  decideDisableTransition,
  decideEnableTransition,
  decideRetryLock,
  decideRetryStage,
  decideTransitionGate,
  type EventStore,
  ExecutionStateError,
  type ExecutionView,
  isClosed,
  type Pipeline,
  type RetryStageInput,
  retryLockStage,
  type TaskPayloadOf,
  type TaskReply,
  type TransitionChange,
  type TransitionDisable,
  type TransitionState,
  transitionOf,
} from '@pipewright/core';
import { decideOnPipelineStream, lastLockHolder, readPipelineStream } from './pipeline-stream.ts';
import { type TaskTokenStore, taskKey } from './ports/task-tokens.ts';

/** A task the engine answers. */
type Task = { executionId: string; kind: string; stage?: string; action?: string; attempt: number };

/** How many of a pipeline's newest executions are looked at for gates held by other processes. */
const WAITER_SCAN_LIMIT = 200;

/** What the engine lends its operator controls (its ports and its private steps). @example `new OperatorControls({ store, tokens, executionModes: true, view: (id) => engine.view(id), … })` */
export interface EngineHost {
  store: EventStore;
  tokens: TaskTokenStore;
  /** false when execution modes (and so transitions) are off: a one-shot `pipewright run`. */
  executionModes: boolean;
  pipeline(name: string): Promise<Pipeline>;
  pipelineNameOf(executionId: string): Promise<string>;
  view(executionId: string): Promise<ExecutionView>;
  decide(
    executionId: string,
    pipelineName: string,
    decide: (view: ExecutionView) => Decision,
  ): Promise<Decision>;
  reply(task: Task, reply: TaskReply | undefined): Promise<void>;
  release(
    pipeline: Pipeline,
    executionId: string,
    stageName: string | undefined,
    stageAttempt: number,
    reason: string,
  ): Promise<void>;
  supersede(pipeline: Pipeline, executionId: string, by: string, stageName: string): Promise<void>;
  lockFor<T>(key: string, work: () => Promise<T>): Promise<T>;
  /** Delivers a gate task again (the engine's `handleStageGate`). */
  wake(gate: TaskPayloadOf<'gate'>): Promise<unknown>;
  at(): string;
  warn(message: string): void;
}

/** A gate waiting at a disabled transition, with its execution's start time. */
interface Waiter {
  gate: TaskPayloadOf<'gate'>;
  startedAt: string;
}

/** Retry a failed stage; disable and enable transitions. Built by the engine. @example `await ops.retryStage(executionId, { stageName: 'Build', retryMode: 'FAILED_ACTIONS', actor })` */
export class OperatorControls {
  readonly #host: EngineHost;
  /** Gates waiting for a disabled inbound transition, by execution id. */
  readonly #waiting = new Map<string, TaskPayloadOf<'gate'>>();

  constructor(host: EngineHost) {
    this.#host = host;
  }

  /** See `Engine.retryStage`. */
  async retryStage(executionId: string, input: RetryStageInput): Promise<ExecutionView> {
    const h = this.#host;
    const pipeline = await h.pipeline(await h.pipelineNameOf(executionId));
    const before = await h.view(executionId);
    decideRetryStage(before, pipeline, input, { at: h.at() }); // refuses before taking anything
    const failedAttempt = before.stages.find((s) => s.stageName === input.stageName)?.stageAttempt ?? 0;
    const task = { executionId, kind: 'stageFailed', stage: input.stageName, attempt: failedAttempt };
    if ((await h.tokens.get(taskKey(task))) === undefined) {
      throw new ExecutionStateError(
        `stage ${input.stageName} of execution ${executionId} is not waiting for a decision: its failed-stage task is no longer open (it timed out, or the execution was stopped) or its state machine runs in another server; release the change again to start a new execution`,
      );
    }
    const lockStage = await this.#retakeLock(pipeline, executionId, input.stageName, failedAttempt + 1);
    let decision: Decision;
    try {
      decision = await h.decide(executionId, pipeline.name, (view) =>
        decideRetryStage(view, pipeline, { ...input, stageAttempt: failedAttempt }, { at: h.at() }),
      );
    } catch (e) {
      if (lockStage !== undefined)
        await h.release(pipeline, executionId, lockStage, failedAttempt + 1, 'RetryRefused');
      throw e;
    }
    await h.reply(task, decision.reply);
    return h.view(executionId);
  }

  /**
   * Takes again the lock a retried stage needs; returns the locked stage when it appended
   * `StageLockAcquired`. The stage failure releases the execution's locks just after
   * `StageFailed`: a release still pending is waited for (up to a second), so it cannot undo this.
   */
  async #retakeLock(
    pipeline: Pipeline,
    executionId: string,
    stageName: string,
    stageAttempt: number,
  ): Promise<string | undefined> {
    const h = this.#host;
    const lockStage = retryLockStage(pipeline, stageName);
    if (!h.executionModes || lockStage === undefined) return undefined;
    const heldByMe = async () => {
      const { view } = await readPipelineStream(h.store, pipeline);
      const lock = view.stageLocks.find((l) => l.stageName === lockStage);
      return lock?.heldBy?.pipelineExecutionId === executionId;
    };
    for (let round = 0; round < 100 && (await heldByMe()); round++) {
      await new Promise((done) => setTimeout(done, 10));
    }
    let appended = false;
    await h.lockFor(`pipeline:${pipeline.name}`, () =>
      decideOnPipelineStream(h.store, pipeline, ({ view, records }) => {
        const lastEntered = lastLockHolder(records, lockStage);
        const events = decideRetryLock(pipeline, view, {
          executionId,
          stageName,
          stageAttempt,
          at: h.at(),
          ...(lastEntered === undefined ? {} : { lastEntered }),
        });
        appended = events.length > 0;
        return events;
      }),
    );
    return appended ? lockStage : undefined;
  }

  /** See `Engine.disableTransition`. */
  async disableTransition(pipelineName: string, input: TransitionDisable): Promise<TransitionState> {
    const h = this.#host;
    const pipeline = await h.pipeline(pipelineName);
    const after = await h.lockFor(`transitions:${pipeline.name}`, () =>
      decideOnPipelineStream(h.store, pipeline, ({ view }) =>
        decideDisableTransition(pipeline, view, input, { at: h.at() }),
      ),
    );
    return transitionOf(after.view, input.stageName);
  }

  /** See `Engine.enableTransition`. */
  async enableTransition(pipelineName: string, input: TransitionChange): Promise<TransitionState> {
    const h = this.#host;
    const pipeline = await h.pipeline(pipelineName);
    const { state, woken } = await h.lockFor(`transitions:${pipeline.name}`, async () => {
      const after = await decideOnPipelineStream(h.store, pipeline, ({ view }) =>
        decideEnableTransition(pipeline, view, input, { at: h.at() }),
      );
      const state = transitionOf(after.view, input.stageName);
      const waiting = await this.#waiters(pipeline.name, input.stageName);
      for (const w of waiting) this.#waiting.delete(w.gate.executionId);
      const newest = waiting.at(-1);
      if (pipeline.executionMode !== 'SUPERSEDED' || newest === undefined) {
        return { state, woken: waiting.map((w) => w.gate) };
      }
      // As CodePipeline: on enable, the latest waiting execution enters; older ones are superseded.
      for (const older of waiting.slice(0, -1))
        await h.supersede(pipeline, older.gate.executionId, newest.gate.executionId, input.stageName);
      return { state, woken: [newest.gate] };
    });
    // Oldest first, each through the lock again (QUEUED keeps first in, first out).
    for (const gate of woken) {
      await h
        .wake(gate)
        .catch((e: Error) => h.warn(`waking ${gate.executionId} at ${gate.stage}: ${e.message}`));
    }
    return state;
  }

  /**
   * The gate's transition step: true when the gate may go on to the lock; false while the
   * stage's inbound transition is disabled (after `StageWaiting`, gate `Transition`) or when
   * a newer execution waiting there superseded this one (SUPERSEDED).
   */
  async passTransition(pipeline: Pipeline, payload: TaskPayloadOf<'gate'>): Promise<boolean> {
    const h = this.#host;
    if (!h.executionModes) return true;
    const { executionId } = payload;
    return h.lockFor(`transitions:${pipeline.name}`, async () => {
      const view = await h.view(executionId);
      const { view: stream } = await readPipelineStream(h.store, pipeline);
      const at = h.at();
      const open = !isClosed(view);
      if (!open || decideTransitionGate(view, stream, payload, { at }).kind === 'go') {
        this.#waiting.delete(executionId);
        return open;
      }
      if (pipeline.executionMode === 'SUPERSEDED') {
        // As CodePipeline: executions waiting at a disabled transition are still superseded.
        const others = (await this.#waiters(pipeline.name, payload.stage)).filter(
          (w) => w.gate.executionId !== executionId,
        );
        const mine = view.startedAt ?? at;
        const newer = others.find((w) => w.startedAt > mine);
        if (newer !== undefined) {
          this.#waiting.delete(executionId);
          await h.supersede(pipeline, executionId, newer.gate.executionId, payload.stage);
          return false;
        }
        for (const older of others) {
          this.#waiting.delete(older.gate.executionId);
          await h.supersede(pipeline, older.gate.executionId, executionId, payload.stage);
        }
      }
      this.#waiting.set(executionId, payload);
      await h.decide(executionId, pipeline.name, (current) => {
        const d = decideTransitionGate(current, stream, payload, { at });
        return { events: d.kind === 'wait' ? d.events : [] };
      });
      // Another process (another Lambda) may have enabled the transition between our read and
      // the StageWaiting above, and found no waiting gate to wake: look once more.
      const { view: after } = await readPipelineStream(h.store, pipeline);
      const now = await h.view(executionId);
      if (
        this.#waiting.get(executionId) === payload &&
        !isClosed(now) &&
        decideTransitionGate(now, after, payload, { at: h.at() }).kind === 'go'
      ) {
        this.#waiting.delete(executionId);
        return true;
      }
      return false;
    });
  }

  /**
   * Gates waiting at the transition whose task another process holds (each Lambda is one): the
   * newest executions' logs say which wait there, the task token store holds their tokens.
   */
  async #waitersInLog(pipelineName: string, stageName: string): Promise<Waiter[]> {
    const h = this.#host;
    const found: Waiter[] = [];
    const page = await h.store.listExecutions(pipelineName, { limit: WAITER_SCAN_LIMIT });
    for (const entry of page.executions) {
      if (this.#waiting.has(entry.executionId)) continue;
      const view = await h.view(entry.executionId);
      const stage = view.stages.find((s) => s.stageName === stageName);
      if (isClosed(view) || stage?.waiting?.gate !== 'Transition') continue;
      const task = {
        executionId: entry.executionId,
        kind: 'gate',
        stage: stageName,
        attempt: stage.stageAttempt,
      } as const;
      const taskToken = await h.tokens.get(taskKey(task));
      if (taskToken !== undefined)
        found.push({ gate: { ...task, pipeline: pipelineName, taskToken }, startedAt: view.startedAt ?? '' });
    }
    return found;
  }

  /** The open executions waiting at a stage's disabled transition, oldest first; closed ones are forgotten. */
  async #waiters(pipelineName: string, stageName: string): Promise<Waiter[]> {
    const found: Waiter[] = [];
    for (const gate of [...this.#waiting.values()]) {
      if (gate.pipeline !== pipelineName || gate.stage !== stageName) continue;
      const view = await this.#host.view(gate.executionId);
      if (isClosed(view)) this.#waiting.delete(gate.executionId);
      else found.push({ gate, startedAt: view.startedAt ?? '' });
    }
    const known = new Set(found.map((w) => w.gate.executionId));
    for (const waiter of await this.#waitersInLog(pipelineName, stageName))
      if (!known.has(waiter.gate.executionId)) found.push(waiter);
    return found.sort((a, b) =>
      a.startedAt === b.startedAt
        ? a.gate.executionId.localeCompare(b.gate.executionId)
        : a.startedAt < b.startedAt
          ? -1
          : 1,
    );
  }
}
