/**
 * The engine's side of stage conditions: before a gate, leave or stage-failure task is
 * decided, the I/O rules of the conditions to evaluate (Commands, LambdaInvoke) run with the
 * engine's action providers, as an action would (a fresh workspace with the rule's input
 * artifacts, the rule's timeout, a log under `condition:<TYPE>:<rule>`). Their outcomes go to
 * core's pure deciders (`decideStageEntry`, `decideStageExit`, `decideStageFailed`), which
 * evaluate VariableCheck and DeploymentWindow themselves and record `ConditionEvaluated`.
 *
 * A rollback execution also needs its target execution's view (artifacts and variables are
 * looked up there): {@link StageConditionRunner.rollbackTarget}.
 *
 * @example
 * ```ts
 * const inputs = await runner.inputs(pipeline, payload); // { outcomes?, rollbackTarget? }
 * decideStageEntry(view, pipeline, payload, { at, ...inputs });
 * ```
 */
import {
  type ConditionType,
  conditionRulesToRun,
  type ExecutionView,
  failureEvaluatesConditions,
  isClosed,
  type Pipeline,
  type RuleOutcome,
  type RuleToRun,
  rollbackLookupView,
  rollbackSkipsStage,
  stageConditions,
  stageNamed,
  type TaskPayloadOf,
} from '@pipewright/core';
import { type AttemptOptions, runActionAttempt } from './run-action-attempt.ts';

/** What the runner borrows from the engine. @example `{ options, newId, view: (id) => engine.view(id) }` */
export interface ConditionHost {
  options: AttemptOptions;
  newId(): string;
  /** The execution's current view. */
  view(executionId: string): Promise<ExecutionView>;
}

/** What a stage task's decision needs besides the view: rule outcomes and the rollback target. */
export interface ConditionInputs {
  outcomes?: Record<string, RuleOutcome>;
  rollbackTarget?: ExecutionView;
}

type StageTask = TaskPayloadOf<'gate'> | TaskPayloadOf<'leave'> | TaskPayloadOf<'stageFailed'>;

const SUMMARY_MAX = 1000;

/** Runs the I/O rules of stage conditions. Built by the engine. */
export class StageConditionRunner {
  readonly #host: ConditionHost;

  constructor(host: ConditionHost) {
    this.#host = host;
  }

  /** For a rollback execution, the view of the execution it rolls back to; otherwise undefined. */
  async rollbackTarget(view: ExecutionView): Promise<ExecutionView | undefined> {
    const targetId = view.rollbackMetadata?.rollbackTargetPipelineExecutionId;
    if (view.executionType !== 'ROLLBACK' || targetId === undefined) return undefined;
    return this.#host.view(targetId);
  }

  /** Runs what the task's conditions need run now and returns the decider's inputs. */
  async inputs(pipeline: Pipeline, payload: StageTask): Promise<ConditionInputs> {
    const view = await this.#host.view(payload.executionId);
    const rollbackTarget = await this.rollbackTarget(view);
    const target = rollbackTarget === undefined ? {} : { rollbackTarget };
    const type = isClosed(view) ? undefined : this.#typeFor(pipeline, view, payload);
    if (type === undefined) return target;
    const lookup = rollbackLookupView(view, rollbackTarget);
    const runs = conditionRulesToRun(lookup, pipeline, payload.stage, type, payload.attempt);
    if (runs.length === 0) return target;
    const outcomes: Record<string, RuleOutcome> = {};
    await Promise.all(
      runs.map(async (run) => {
        outcomes[run.ruleName] = await this.#run(pipeline, payload.executionId, run);
      }),
    );
    return { ...target, outcomes };
  }

  /** The condition type the task evaluates, when it evaluates any. */
  #typeFor(pipeline: Pipeline, view: ExecutionView, payload: StageTask): ConditionType | undefined {
    const stage = stageNamed(pipeline, payload.stage);
    if (payload.kind === 'gate') {
      if (rollbackSkipsStage(view, payload.stage)) return undefined;
      return stageConditions(stage, 'BEFORE_ENTRY').length > 0 ? 'BEFORE_ENTRY' : undefined;
    }
    if (payload.kind === 'leave') {
      return stageConditions(stage, 'ON_SUCCESS').length > 0 ? 'ON_SUCCESS' : undefined;
    }
    return failureEvaluatesConditions(view, pipeline, payload.stage, payload.attempt)
      ? 'ON_FAILURE'
      : undefined;
  }

  async #run(pipeline: Pipeline, executionId: string, run: RuleToRun): Promise<RuleOutcome> {
    const { result } = await runActionAttempt({
      pipeline,
      executionId,
      run,
      signal: new AbortController().signal,
      options: this.#host.options,
      newId: () => this.#host.newId(),
    });
    if (result.status === 'Succeeded') {
      return {
        status: 'Succeeded',
        summary: result.summary ?? `the ${run.action.actionTypeId.provider} rule passed`,
      };
    }
    if (result.status === 'Failed') {
      const message = result.error.message;
      return {
        status: 'Failed',
        summary: message.length > SUMMARY_MAX ? `${message.slice(0, SUMMARY_MAX)}…` : message,
      };
    }
    return { status: 'Failed', summary: 'the rule waited for a callback, which rules cannot do' };
  }
}
