/**
 * What every Pipewright function is built from: the event log and task tokens on DynamoDB, the
 * Step Functions orchestrator, the deployed pipelines, and the engine over them. Each function
 * adds only the adapters it uses (the action runner: S3 and the providers' clients), so each
 * bundle holds only the AWS SDK clients it calls. Built once per cold start.
 *
 * Tests and the local stand-in pass their own orchestrator (the `states` runtime behind the
 * same port) and clients pointed at DynamoDB Local / s3rver.
 *
 * @example
 * ```ts
 * const runtime = await openFunctionRuntime({ env, dynamodb: new DynamoDBClient({}), orchestrator });
 * await runtime.engine({ artifacts, logs, providers }).handleActionRunner(event);
 * ```
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Pipeline } from '@pipewright/core';
import {
  type ActionLogStore,
  type ActionProvider,
  type ArtifactStore,
  createEngine,
  type Engine,
  type EngineOptions,
  type Orchestrator,
  type TaskTokenStore,
} from '@pipewright/engine';
import { DynamoEventStore } from '../dynamo-event-store.ts';
import { DynamoTaskTokens } from '../dynamo-task-tokens.ts';
import { AwsAdapterError } from '../errors.ts';
import {
  type DeployedPipelines,
  loadDeployedPipelines,
  recordDeployedPipelines,
} from './deployed-pipelines.ts';
import type { LambdaEnvironment } from './lambda-environment.ts';

/** What {@link openFunctionRuntime} is built from. @example `{ env, dynamodb: new DynamoDBClient({}), orchestrator: sfnOrchestrator(sfn, env) }` */
export interface FunctionRuntimeOptions {
  env: Pick<LambdaEnvironment, 'tableName' | 'pipelinesDir'>;
  dynamodb: DynamoDBClient;
  /** Step Functions in AWS ({@link SfnOrchestrator}); the `states` runtime in tests. */
  orchestrator: Orchestrator | ((store: DynamoEventStore) => Orchestrator);
  /** The pipelines (default: the files in `env.pipelinesDir`). */
  pipelines?: readonly Pipeline[];
  now?: () => Date;
  onWarning?: (message: string) => void;
  /** Told about every batch of events the engine appended. */
  onEvents?: EngineOptions['onEvents'];
}

/** What the engine of one function is given beside the shared parts. @example `{ artifacts, logs, providers: awsProviders(options) }` */
export interface EngineParts {
  artifacts?: ArtifactStore;
  logs?: ActionLogStore;
  providers?: readonly ActionProvider[];
}

/** The parts every function shares. @example `runtime.engine({ logs }).view(executionId)` */
export interface FunctionRuntime {
  store: DynamoEventStore;
  tokens: TaskTokenStore;
  orchestrator: Orchestrator;
  pipelines: DeployedPipelines;
  /** The engine, built once with the function's own parts. */
  engine(parts?: EngineParts): Engine;
  /** Actions whose outcome could not be recorded or answered since the last call (then cleared). */
  takeRunErrors(): Error[];
}

/**
 * Opens the shared parts and records the deployed pipelines' versions.
 *
 * @example
 * ```ts
 * const runtime = await openFunctionRuntime({ env, dynamodb, orchestrator: (store) => sfn(store) });
 * ```
 */
export async function openFunctionRuntime(options: FunctionRuntimeOptions): Promise<FunctionRuntime> {
  const now = options.now ?? (() => new Date());
  const store = new DynamoEventStore({ client: options.dynamodb, tableName: options.env.tableName });
  const tokens = new DynamoTaskTokens({ client: options.dynamodb, tableName: options.env.tableName });
  const orchestrator =
    typeof options.orchestrator === 'function' ? options.orchestrator(store) : options.orchestrator;
  const pipelines = await recordDeployedPipelines(
    store,
    options.pipelines ?? loadDeployedPipelines(options.env.pipelinesDir),
    now().toISOString(),
  );
  let engine: Engine | undefined;
  let runErrors: Error[] = [];
  return {
    takeRunErrors() {
      const taken = runErrors;
      runErrors = [];
      return taken;
    },
    store,
    tokens,
    orchestrator,
    pipelines,
    engine(parts = {}) {
      engine ??= createEngine({
        store,
        orchestrator,
        tokens,
        artifacts: parts.artifacts ?? NO_ARTIFACTS,
        logs: parts.logs ?? NO_LOGS,
        providers: parts.providers ?? [],
        pipelines: pipelines.source,
        workspaceRoot: '/tmp/pipewright/workspaces',
        projectDir: () => options.env.pipelinesDir,
        failurePolicy: 'wait',
        now,
        onRunError: (error) => runErrors.push(error),
        inProgressRunsElsewhere: true,
        ...(options.onWarning === undefined ? {} : { onWarning: options.onWarning }),
        ...(options.onEvents === undefined ? {} : { onEvents: options.onEvents }),
      });
      return engine;
    },
  };
}

/** Artifacts in a function that moves none (stage gate, trigger, callback): asking is a wiring mistake. */
const NO_ARTIFACTS: ArtifactStore = {
  putDirectory() {
    return Promise.reject(notHere('store artifacts'));
  },
  extractTo() {
    return Promise.reject(notHere('read artifacts'));
  },
};

/** Logs in a function that runs no action: nothing writes them. */
const NO_LOGS: ActionLogStore = {
  open() {
    return Promise.reject(
      new AwsAdapterError(
        'PW6504',
        'this function runs no actions: condition rules that run commands or invoke a function (Commands, LambdaInvoke) run only with pipewright run/serve for now; in AWS use VariableCheck or DeploymentWindow rules',
      ),
    );
  },
  async read() {
    return undefined;
  },
};

function notHere(what: string): AwsAdapterError {
  return new AwsAdapterError(
    'PW6504',
    `this function does not ${what}: actions run in the action-runner function; check the state machine's resources`,
  );
}
