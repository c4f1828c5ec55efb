import type { Action, ActionCategory } from '@pipewright/core';
import type { ArtifactStore, StoredArtifact } from './ports/artifact-store.ts';

/** CodePipeline's failure types (`FailureDetails.type`). */
export type ActionFailureType =
  | 'JobFailed'
  | 'ConfigurationError'
  | 'PermissionError'
  | 'RevisionOutOfSync'
  | 'RevisionUnavailable'
  | 'SystemUnavailable';

/** Where an action's log lines go: streamed live and stored per action attempt. */
export interface ActionLog {
  write(stream: 'stdout' | 'stderr' | 'system', text: string): void;
}

/** An input artifact, already extracted for the action. */
export interface ActionInput {
  name: string;
  /** Directory holding the artifact's files. */
  dir: string;
  artifact: StoredArtifact;
}

/**
 * Everything a provider needs to carry out one attempt of one action. The engine prepares it:
 * variables are resolved, input artifacts extracted, a fresh workspace made.
 */
export interface ActionRun {
  pipeline: string;
  executionId: string;
  stage: string;
  /** The action with its configuration's `#{…}` variables already resolved. Commands keep their text: see `variables`. */
  action: Action;
  /** Unique per attempt; shown as CodePipeline's `actionExecutionId`. */
  actionExecutionId: string;
  attempt: number;
  /** Which run of the stage this is (0 first; +1 per stage retry): with `attempt`, names the attempt outside the engine. */
  stageAttempt: number;
  /**
   * A fresh, empty directory for this attempt, made when first read (an action that never reads
   * it costs no file-system calls). The first input artifact is extracted here; others in `inputs`.
   */
  workspace: string;
  inputs: readonly ActionInput[];
  /**
   * Variables visible to the action, by reference text without `#{}` (e.g.
   * `SourceVariables.CommitId`, `variables.DEPLOY_ENV`, `codepipeline.PipelineExecutionId`).
   * Providers that run shell commands pass them as environment variables and never splice
   * them into command text (DESIGN.md §1.6).
   */
  variables: Readonly<Record<string, string>>;
  /** Directory that relative paths in the configuration resolve against (the pipeline file's directory). */
  projectDir: string;
  log: ActionLog;
  /**
   * Present when the state machine polls a long wait this provider started (its outcome was
   * `InProgress`): the `state` it returned then. A poll gets no input artifacts (`inputs` is
   * empty): the provider only looks at what it started, through identifiers in `progress`.
   */
  progress?: Readonly<Record<string, unknown>>;
  /** Aborted when the execution is stopped with abandon, or the action times out. */
  signal: AbortSignal;
  artifacts: ArtifactStore;
}

/** What an action attempt came to. */
export type ActionOutcome =
  | {
      status: 'Succeeded';
      outputArtifacts: StoredArtifact[];
      outputVariables: Record<string, string>;
      summary?: string;
      externalExecutionId?: string;
      externalExecutionUrl?: string;
    }
  | {
      status: 'Failed';
      error: { type: ActionFailureType; message: string };
      /** The last lines of the action's log, shown with the failure. */
      logTail?: string[];
      externalExecutionId?: string;
      externalExecutionUrl?: string;
    }
  | {
      /** The action completes later, by a callback (e.g. a manual approval decided). */
      status: 'Waiting';
      summary?: string;
    }
  | {
      /**
       * A long wait (a deployment): the state machine waits about `pollAfterSeconds` (longer as
       * the wait goes on), then calls the provider again with `progress` = `state`. Keep `state`
       * small (identifiers only, at most 8 KiB): it travels in the state machine's payload.
       */
      status: 'InProgress';
      state: Record<string, unknown>;
      pollAfterSeconds: number;
      summary?: string;
      externalExecutionId?: string;
      externalExecutionUrl?: string;
    };

/**
 * Carries out actions of one `Category/Provider`. Providers never touch the event log or the
 * orchestrator: they do the work and say how it ended; the engine records and continues.
 *
 * @example
 * ```ts
 * const echo: ActionProvider = {
 *   categories: ['Build'], provider: 'Echo',
 *   async run(run) {
 *     run.log.write('stdout', `hello from ${run.action.name}\n`);
 *     return { status: 'Succeeded', outputArtifacts: [], outputVariables: {} };
 *   },
 * };
 * ```
 */
export interface ActionProvider {
  readonly categories: readonly ActionCategory[];
  readonly provider: string;
  run(run: ActionRun): Promise<ActionOutcome>;
  /**
   * Stops the work an abandoned attempt started elsewhere (a deployment, an execution), when
   * the pipeline execution is stopped while the action is in progress. Best effort: a failure
   * is reported as a warning and changes nothing in the log.
   */
  cancel?(request: ActionCancelRequest): Promise<void>;
}

/**
 * An attempt to cancel: the action as it started (resolved configuration) and what it
 * reported of its external execution.
 *
 * @example
 * ```ts
 * await provider.cancel?.({ pipeline: 'web', executionId, stage: 'Deploy', action, actionExecutionId, externalExecutionId: 'd-123', reason: 'stopped' });
 * ```
 */
export interface ActionCancelRequest {
  pipeline: string;
  executionId: string;
  stage: string;
  action: Action;
  actionExecutionId: string;
  /** What the provider reported while in progress (`InProgress.externalExecutionId`). */
  externalExecutionId?: string;
  reason: string;
}
