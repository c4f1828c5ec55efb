/**
 * Test-only: the app over a real local runtime (SQLite event log, file logs, the states
 * runtime) running a real pipeline — Source → Build → a manual approval → Deploy — where a failed
 * stage fails the execution. Only tests
 * import this file (the package's source never imports `@pipewright/local`).
 *
 * @example
 * ```ts
 * const h = await openWebHarness();
 * const executionId = await h.startExecution();
 * const request = await h.approvalRequested(executionId);
 * ```
 */

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Action, type ActionCategory, executionStream, type Pipeline } from '@pipewright/core';
import { fakeAction } from '@pipewright/core/testing';
import type { ActionOutcome, ActionProvider, ActionRun, ApprovalRequest } from '@pipewright/engine';
import { approvalKey, type LocalRuntime, openLocalRuntime } from '@pipewright/local';
import type { Hono } from 'hono';
import { createApp } from './app.ts';
import type { WebDeps } from './deps.ts';

/** The test pipeline's name. */
export const PIPELINE = 'web-app';

/** What the Source action reports as the commit. */
export const COMMIT = { CommitId: '4f2a9c1d', CommitMessage: 'Fix <b>login</b> & "quotes"' };

/** The approval's configuration. */
export const APPROVAL_CONFIG = {
  CustomData: 'Check <script>alert(1)</script> on staging',
  ExternalEntityLink: 'https://example.com/changes?from=1&to=2',
};

function action(name: string, category: ActionCategory, configuration: Record<string, string> = {}): Action {
  return fakeAction(name, category, { configuration });
}

/** Source → Build → Approve → Deploy, PARALLEL so executions do not supersede each other. */
export const TEST_PIPELINE: Pipeline = {
  name: PIPELINE,
  executionMode: 'PARALLEL',
  pipelineType: 'V2',
  variables: [{ name: 'DEPLOY_ENV', defaultValue: 'staging' }],
  triggers: [],
  stages: [
    { name: 'Source', actions: [action('Checkout', 'Source')] },
    { name: 'Build', actions: [action('Compile', 'Build')] },
    { name: 'Approve', actions: [action('Release', 'Approval', APPROVAL_CONFIG)] },
    { name: 'Deploy', actions: [action('Ship', 'Deploy')] },
  ],
};

const fake: ActionProvider = {
  categories: ['Source', 'Build', 'Deploy'],
  provider: 'Fake',
  async run(run: ActionRun): Promise<ActionOutcome> {
    run.log.write('stdout', `running ${run.stage}/${run.action.name}\n`);
    run.log.write('stdout', `DEPLOY_ENV=${run.variables['variables.DEPLOY_ENV'] ?? ''}\n`);
    const outputVariables: Record<string, string> =
      run.action.actionTypeId.category === 'Source' ? COMMIT : {};
    return { status: 'Succeeded', outputArtifacts: [], outputVariables };
  },
};

const manual: ActionProvider = {
  categories: ['Approval'],
  provider: 'Manual',
  async run() {
    return { status: 'Waiting' };
  },
};

/** A runtime, its app, and helpers. */
export interface WebHarness {
  runtime: LocalRuntime;
  app: Hono;
  token: string;
  deps: WebDeps;
  /** Another app over the same runtime, with some dependencies changed (a clock, no control). */
  appWith(changes: Partial<WebDeps>): Hono;
  /** An authorized API call; `json` becomes the body. */
  api(
    path: string,
    init?: { method?: string; json?: unknown; headers?: Record<string, string> },
  ): Promise<Response>;
  /** Starts an execution through the API and returns its id. */
  startExecution(variables?: Record<string, string>): Promise<string>;
  /** Resolves when the execution's approval waits. */
  approvalRequested(executionId: string): Promise<ApprovalRequest>;
  /** The path and query of the approval's signed link. */
  linkPath(request: ApprovalRequest): string;
  /** How many events the execution's stream holds. */
  eventCount(executionId: string): Promise<number>;
}

const opened: { runtime: LocalRuntime; dir: string }[] = [];

/**
 * Opens a harness in a fresh temp directory.
 *
 * @example
 * ```ts
 * const h = await openWebHarness();
 * ```
 */
export async function openWebHarness(): Promise<WebHarness> {
  const dir = await mkdtemp(join(tmpdir(), 'pw-web-'));
  const stateDir = join(dir, '.pipewright');
  const waiting = new Map<
    string,
    { promise: Promise<ApprovalRequest>; resolve: (r: ApprovalRequest) => void }
  >();
  const slot = (executionId: string) => {
    let found = waiting.get(executionId);
    if (found === undefined) {
      let resolve: (r: ApprovalRequest) => void = () => undefined;
      const promise = new Promise<ApprovalRequest>((r) => {
        resolve = r;
      });
      found = { promise, resolve };
      waiting.set(executionId, found);
    }
    return found;
  };
  const runtime = await openLocalRuntime({
    stateDir,
    providers: [fake, manual],
    failurePolicy: 'fail',
    onApprovalRequested: (request) => slot(request.executionId).resolve(request),
  });
  opened.push({ runtime, dir });
  const pipeline = await runtime.addPipeline(TEST_PIPELINE, dir);
  const token = 'test-token-0123456789abcdef';
  const deps: WebDeps = {
    store: runtime.store,
    logs: runtime.logs,
    pipelines: { names: () => [PIPELINE], get: (name) => (name === PIPELINE ? pipeline : undefined) },
    approvalKey: approvalKey(stateDir),
    apiToken: token,
    control: {
      start: (req) => runtime.engine.start(req),
      stop: (executionId, input) => runtime.engine.stop(executionId, input),
      settle: (executionId) => runtime.engine.settleReport(executionId),
    },
  };
  const app = createApp(deps);
  const api: WebHarness['api'] = async (path, init = {}) =>
    app.request(path, {
      method: init.method ?? (init.json === undefined ? 'GET' : 'POST'),
      headers: {
        Authorization: `Bearer ${token}`,
        ...(init.json === undefined ? {} : { 'Content-Type': 'application/json' }),
        ...init.headers,
      },
      ...(init.json === undefined ? {} : { body: JSON.stringify(init.json) }),
    });
  return {
    runtime,
    app,
    token,
    deps,
    appWith: (changes) => createApp({ ...deps, ...changes }),
    api,
    async startExecution(variables) {
      const res = await api(`/api/pipelines/${PIPELINE}/executions`, {
        json: variables ? { variables } : {},
      });
      if (res.status !== 201) throw new Error(`start answered ${res.status}: ${await res.text()}`);
      return ((await res.json()) as { executionId: string }).executionId;
    },
    approvalRequested: (executionId) => slot(executionId).promise,
    linkPath(request) {
      const url = new URL(runtime.approvalLink(request.approvalId, request.expiresAt));
      return `${url.pathname}${url.search}`;
    },
    eventCount: (executionId) => runtime.store.version(executionStream(executionId)),
  };
}

/**
 * Closes every harness opened so far and removes their directories (an `afterEach`).
 *
 * @example
 * ```ts
 * afterEach(closeWebHarnesses);
 * ```
 */
export async function closeWebHarnesses(): Promise<void> {
  for (const { runtime, dir } of opened.splice(0)) {
    await runtime.close();
    await rm(dir, { recursive: true, force: true });
  }
}
