/**
 * The local runtime: everything `pipewright run` (and tests and benchmarks) need to run
 * pipelines on one machine, wired together — the SQLite event log, artifacts and logs under
 * `.pipewright/`, the `states` runtime running each pipeline's compiled definition, the local
 * providers, and the engine whose use cases are the definition's two functions.
 *
 * @example
 * ```ts
 * const runtime = await openLocalRuntime({ stateDir: '.pipewright' });
 * await runtime.addPipeline(pipeline, 'examples/web-app');
 * const { executionId } = await runtime.engine.start({ pipeline: 'web-app' });
 * const view = await runtime.waitForExecution(executionId);
 * await runtime.close();
 * ```
 */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import {
  compilePipeline,
  type ExecutionView,
  type Pipeline,
  type StageFailurePolicy,
} from '@pipewright/core';
import {
  type ActionProvider,
  createEngine,
  type Engine,
  type EngineOptions,
  recordPipelineVersion,
  signApprovalLink,
} from '@pipewright/engine';
import { createLocalProviders, type LocalProvidersOptions } from '@pipewright/providers';
import { type Clock, LocalStepFunctions } from '@pipewright/states';
import { FileArtifactStore } from '../artifacts/file-artifact-store.ts';
import { SqliteEventStore } from '../event-store/sqlite-event-store.ts';
import { FileActionLogStore } from '../logs/file-action-log-store.ts';
import { type FunctionNames, LocalOrchestrator } from '../orchestrator/local-orchestrator.ts';
import { secretFile } from '../secret-file.ts';
import { ChangeFeed, type ChangeListener, observeAppends } from './change-feed.ts';
import { LocalPipelines } from './local-pipelines.ts';
import { resumeExecutions } from './resume-executions.ts';

/** The function names local definitions are compiled with (the CLI's `compile` defaults). */
export const LOCAL_FUNCTION_NAMES: FunctionNames = {
  actionRunner: 'pipewright-action-runner',
  stageGate: 'pipewright-stage-gate',
};

/** Options of {@link openLocalRuntime}. */
export interface LocalRuntimeOptions
  extends Pick<EngineOptions, 'onEvents' | 'onApprovalRequested' | 'onLog' | 'onWarning' | 'now' | 'newId'> {
  /** The state directory (`.pipewright` of the working directory). */
  stateDir: string;
  /** Providers (default: the local providers with `providerOptions`). */
  providers?: readonly ActionProvider[];
  providerOptions?: LocalProvidersOptions;
  /** Apply execution modes (default true; a one-shot `pipewright run` turns them off). */
  executionModes?: boolean;
  /** What a failed stage nobody retries becomes (default `wait`; `pipewright run` uses `fail`). */
  failurePolicy?: StageFailurePolicy;
  /** The states runtime's clock (default: real time). */
  clock?: Clock;
  /** Where approval links point (default `http://127.0.0.1:4000`, where `pipewright serve` listens). */
  approvalBaseUrl?: string;
}

/** The wired local runtime. */
export interface LocalRuntime {
  readonly stateDir: string;
  readonly store: SqliteEventStore;
  readonly artifacts: FileArtifactStore;
  readonly logs: FileActionLogStore;
  readonly orchestrator: LocalOrchestrator;
  readonly engine: Engine;
  /**
   * Every batch of events appended to {@link store} in this process, told right after it
   * commits (the dashboard's live updates: `WebDeps.changes`).
   */
  readonly changes: { subscribe(listener: ChangeListener): () => void };
  /** Records the definition's version (if new), compiles it and registers it; returns the versioned definition. */
  addPipeline(pipeline: Pipeline, projectDir: string): Promise<Pipeline>;
  /** Resolves with the execution's view once its state machine has ended and its action runs settled. */
  waitForExecution(executionId: string): Promise<ExecutionView>;
  /**
   * Crash recovery, after the pipelines are registered: resumes every open execution of the
   * registered pipelines from its state machine's journal (actions that succeeded do not run
   * again; actions the crash interrupted are failed and run again; pending approvals keep
   * waiting with the same approval id), so {@link waitForExecution} works on it. An execution
   * that cannot be resumed is failed with the reason. Returns the resumed executions' ids.
   */
  resumeOpenExecutions(): Promise<string[]>;
  /** The signed link to an approval's review page. */
  approvalLink(approvalId: string, expiresAt: string): string;
  /** Where approval links point from now on (the server's address once it listens). */
  setApprovalBaseUrl(url: string): void;
  /**
   * Closes: running state machines and actions are left as a crash leaves them (their
   * executions resume on the next start and interrupted actions run again), the event log is
   * closed, and running actions are stopped.
   */
  close(): Promise<void>;
}

/**
 * The HMAC key approval links are signed with, made on first use (`approval.key`, mode 0600).
 *
 * @example
 * ```ts
 * const key = approvalKey('.pipewright');
 * ```
 */
export function approvalKey(stateDir: string): Buffer {
  return Buffer.from(secretFile(join(stateDir, 'approval.key'), 32), 'hex');
}

/**
 * Opens the local runtime in `stateDir`.
 *
 * @example
 * ```ts
 * const runtime = await openLocalRuntime({ stateDir: '.pipewright', failurePolicy: 'fail' });
 * ```
 */
export async function openLocalRuntime(options: LocalRuntimeOptions): Promise<LocalRuntime> {
  const stateDir = resolve(options.stateDir);
  mkdirSync(stateDir, { recursive: true });
  const { store, changes, artifacts, logs } = openStorage(stateDir, options);
  // Every history event is journaled (with the next transaction), so a restart can resume the execution.
  const sfn = new LocalStepFunctions({
    ...(options.clock === undefined ? {} : { clock: options.clock }),
    onHistoryEvent: (executionArn, event) => store.journal.append(executionArn, event),
  });
  const orchestrator = new LocalOrchestrator(sfn, store.journal);
  const pipelines = new LocalPipelines(store);
  const key = approvalKey(stateDir);
  let baseUrl = options.approvalBaseUrl ?? 'http://127.0.0.1:4000';
  const engine = createEngine({
    store,
    orchestrator,
    artifacts,
    logs,
    providers: options.providers ?? createLocalProviders(options.providerOptions ?? {}),
    pipelines: { get: (name, version) => pipelines.definition(name, version) },
    workspaceRoot: join(stateDir, 'workspaces'),
    projectDir: (name) => pipelines.projectDir(name),
    failurePolicy: options.failurePolicy ?? 'wait',
    executionModes: options.executionModes ?? true,
    ...engineHooks(options),
  });
  orchestrator.bind(engine, LOCAL_FUNCTION_NAMES);
  const now = () => (options.now?.() ?? new Date()).toISOString();
  return {
    stateDir,
    store,
    artifacts,
    logs,
    orchestrator,
    engine,
    changes,
    async addPipeline(pipeline, projectDir) {
      const { pipeline: versioned } = await recordPipelineVersion(store, pipeline, now());
      pipelines.add(versioned, projectDir);
      orchestrator.register(versioned.name, compilePipeline(versioned, { resources: LOCAL_FUNCTION_NAMES }));
      return versioned;
    },
    async waitForExecution(executionId) {
      await orchestrator.waitForExecution(executionId);
      await engine.idle();
      return engine.view(executionId);
    },
    resumeOpenExecutions() {
      return resumeExecutions({
        store,
        orchestrator,
        pipelines: pipelines.names(),
        functionNames: LOCAL_FUNCTION_NAMES,
        executionModes: options.executionModes ?? true,
        now,
        ...(options.onEvents === undefined ? {} : { onEvents: options.onEvents }),
        ...(options.onWarning === undefined ? {} : { onWarning: options.onWarning }),
      });
    },
    approvalLink(approvalId, expiresAt) {
      return signApprovalLink({ baseUrl, approvalId, expiresAt }, key);
    },
    setApprovalBaseUrl(url) {
      baseUrl = url;
    },
    async close() {
      // Running state machines are dropped as a crash would drop them (nothing is journaled,
      // their timers end): their executions stay open in the log and resume on the next start.
      // The event log closes before running actions are stopped, so that they too stay as a
      // crash leaves them (started, not failed): on the next start they run again.
      orchestrator.sfn.dispose();
      await store.close();
      engine.abortAll('the runtime is closing');
      await engine.idle();
    },
  };
}

/** The SQLite event log (with its change feed), artifacts and action logs under `stateDir`. */
function openStorage(stateDir: string, options: LocalRuntimeOptions) {
  const store = SqliteEventStore.open(join(stateDir, 'events.db'), {
    onWriteBehindError: (e) =>
      options.onWarning?.(
        `the state machines' journal could not be written yet (it goes with the next event): ${(e as Error).message}`,
      ),
  });
  const changes = new ChangeFeed({
    onError: (e) => options.onWarning?.(`a listener of appended events failed: ${(e as Error).message}`),
  });
  observeAppends(store, changes);
  const artifacts = new FileArtifactStore({ root: join(stateDir, 'artifacts') });
  const logs = new FileActionLogStore(join(stateDir, 'logs'), { emptyLogs: store.emptyLogs });
  return { store, changes, artifacts, logs };
}

/** The engine options the runtime passes through, only those given. */
function engineHooks(options: LocalRuntimeOptions): Partial<EngineOptions> {
  return {
    ...(options.now === undefined ? {} : { now: options.now }),
    ...(options.newId === undefined ? {} : { newId: options.newId }),
    ...(options.onEvents === undefined ? {} : { onEvents: options.onEvents }),
    ...(options.onApprovalRequested === undefined
      ? {}
      : { onApprovalRequested: options.onApprovalRequested }),
    ...(options.onLog === undefined ? {} : { onLog: options.onLog }),
    ...(options.onWarning === undefined ? {} : { onWarning: options.onWarning }),
  };
}
