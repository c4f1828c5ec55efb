/**
 * One CodeBuild build on Pipewright's shared runner project carries out a Source, Commands or
 * CodeBuild action in AWS. The provider starts it and answers `Waiting`; the build's
 * "CodeBuild Build State Change" event completes the action later (see
 * `codebuild-completion.ts`), recognised by the `PIPEWRIGHT_*` variables that name the attempt.
 *
 * The StartBuild request, for an action with inputs `[Src, Lib]` and outputs `[Out, Docs]`:
 *
 * - source: `S3` at `<bucket>/<key>` of the primary input (`NO_SOURCE` without inputs), the
 *   other inputs as secondary S3 sources named after the artifact (`$CODEBUILD_SRC_DIR_Lib`);
 * - artifacts: `Out` as the primary artifact, zipped to
 *   `s3://<artifactBucket>/artifacts/<executionId>/<actionExecutionId>/Out.zip`; `Docs` as a
 *   secondary artifact with that identifier (the buildspec's `secondary-artifacts.Docs`);
 * - environment: the action's variables (PLAINTEXT; secret references keep their type, so
 *   CodeBuild resolves them and the value never travels in the request), then the attempt's
 *   identity;
 * - `idempotencyToken` = the action execution id: a duplicate delivery of the action task
 *   within CodeBuild's five-minute token window starts no second build.
 *
 * @example
 * ```ts
 * return startRunnerBuild(run, options, { buildspec: buildspecText(spec), environment: [] });
 * // { status: 'Waiting', summary: 'CodeBuild build pipewright-prod-runner:0f3c…' }
 * ```
 */

import type { CodeBuildClient } from '@aws-sdk/client-codebuild';
import {
  type EnvironmentVariable,
  type ProjectArtifacts,
  type ProjectSource,
  type SourceAuth,
  type SourceType,
  StartBuildCommand,
  type StartBuildInput,
} from '@aws-sdk/client-codebuild';
import { actionTimeoutSeconds } from '@pipewright/core';
import type { ActionInput, ActionOutcome, ActionRun } from '@pipewright/engine';
import { ProviderFailure } from '@pipewright/providers';
import { awsFailure } from './aws-failure.ts';
import { configurationError } from './checked-configuration.ts';
import { s3Location } from './s3-location.ts';

/**
 * Names of the environment variables that carry the attempt's identity into its build.
 *
 * @example
 * ```ts
 * RUNNER_IDENTITY.actionExecutionId; // 'PIPEWRIGHT_ACTION_EXECUTION_ID'
 * ```
 */
export const RUNNER_IDENTITY = {
  pipeline: 'PIPEWRIGHT_PIPELINE',
  executionId: 'PIPEWRIGHT_EXECUTION_ID',
  stage: 'PIPEWRIGHT_STAGE',
  action: 'PIPEWRIGHT_ACTION',
  stageAttempt: 'PIPEWRIGHT_STAGE_ATTEMPT',
  attempt: 'PIPEWRIGHT_ATTEMPT',
  actionExecutionId: 'PIPEWRIGHT_ACTION_EXECUTION_ID',
  /** `Category/Provider` of the action, e.g. `Source/CodeCommit`. */
  provider: 'PIPEWRIGHT_PROVIDER',
} as const;

/**
 * What the runner build needs besides the action.
 *
 * @example
 * ```ts
 * const options: RunnerBuildOptions = { codebuild, runnerProject: 'pipewright-prod-runner', artifactBucket: 'pipewright-prod-artifacts' };
 * ```
 */
export interface RunnerBuildOptions {
  codebuild: CodeBuildClient;
  /** The shared CodeBuild project, e.g. `pipewright-prod-runner`. */
  runnerProject: string;
  /** The artifact bucket the builds upload their output artifacts to. */
  artifactBucket: string;
  /** KMS key the builds encrypt their artifacts with (CodeBuild's `encryptionKeyOverride`). */
  kmsKeyArn?: string;
}

/**
 * What differs between the actions that run as a build.
 *
 * @example
 * ```ts
 * const spec: RunnerBuildSpec = { buildspec: buildspecText({ version: '0.2', phases: { build: { commands: ['make'] } } }), environment: [] };
 * ```
 */
export interface RunnerBuildSpec {
  /** Inline buildspec (YAML or JSON); `undefined` keeps the project's. */
  buildspec: string | undefined;
  /** The environment of the action (pipeline variables, its own variables), in order. */
  environment: readonly EnvironmentVariable[];
  /** The input that is the primary source (default: the first input). */
  primarySource?: string;
  /** A source CodeBuild fetches itself instead of the inputs (a repository reached through a connection). */
  source?: {
    type: SourceType;
    location: string;
    auth?: SourceAuth;
    /** Commit, branch or tag (`sourceVersion`). */
    version?: string;
    gitCloneDepth?: number;
  };
}

const IDENTIFIER = /^[A-Za-z0-9_]{1,127}$/;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const RESERVED_ENV = /^(PIPEWRIGHT_|CODEBUILD_)/;

/**
 * Where an attempt's output artifacts go in the artifact bucket.
 *
 * @example
 * ```ts
 * artifactPrefix({ executionId: '7f0c', actionExecutionId: '7f0c:Build:Test:0:1' });
 * // 'artifacts/7f0c/7f0c:Build:Test:0:1'
 * ```
 */
export function artifactPrefix(run: Pick<ActionRun, 'executionId' | 'actionExecutionId'>): string {
  return `artifacts/${run.executionId}/${run.actionExecutionId}`;
}

/**
 * A buildspec as CodeBuild's inline `buildspecOverride` text. JSON is YAML, so the object is
 * written as JSON: every string is quoted and escaped, nothing in a value can change the
 * document's structure.
 *
 * @example
 * ```ts
 * buildspecText({ version: '0.2', phases: { build: { commands: ['make'] } } });
 * ```
 */
export function buildspecText(spec: object): string {
  return `${JSON.stringify(spec, null, 2)}\n`;
}

/**
 * The exact StartBuild request for an attempt (pure; see the module comment).
 *
 * @example
 * ```ts
 * runnerBuildInput(run, options, { buildspec, environment: [] }).idempotencyToken === run.actionExecutionId; // true
 * ```
 */
export function runnerBuildInput(
  run: ActionRun,
  options: Omit<RunnerBuildOptions, 'codebuild'>,
  spec: RunnerBuildSpec,
): StartBuildInput {
  const primary = primaryInput(run, spec.primarySource);
  const secondary = run.inputs.filter((input) => input !== primary);
  for (const input of secondary) checkIdentifier(input.name, 'input artifact');
  const [firstOutput, ...otherOutputs] = run.action.outputArtifacts;
  for (const output of otherOutputs) checkIdentifier(output.name, 'output artifact');
  const prefix = artifactPrefix(run);
  const artifact = (name: string): ProjectArtifacts => ({
    type: 'S3',
    location: options.artifactBucket,
    path: prefix,
    name: `${name}.zip`,
    packaging: 'ZIP',
    namespaceType: 'NONE',
    overrideArtifactName: false,
  });
  const source = spec.source;
  const timeoutMinutes = Math.min(2160, Math.max(5, Math.ceil(actionTimeoutSeconds(run.action) / 60)));
  return {
    projectName: options.runnerProject,
    idempotencyToken: run.actionExecutionId,
    ...(spec.buildspec === undefined ? {} : { buildspecOverride: spec.buildspec }),
    ...(source !== undefined
      ? {
          sourceTypeOverride: source.type,
          sourceLocationOverride: source.location,
          ...(source.auth === undefined ? {} : { sourceAuthOverride: source.auth }),
          ...(source.version === undefined ? {} : { sourceVersion: source.version }),
          ...(source.gitCloneDepth === undefined ? {} : { gitCloneDepthOverride: source.gitCloneDepth }),
        }
      : primary !== undefined
        ? { sourceTypeOverride: 'S3', sourceLocationOverride: sourceLocation(primary) }
        : { sourceTypeOverride: 'NO_SOURCE' }),
    ...(secondary.length === 0
      ? {}
      : {
          secondarySourcesOverride: secondary.map(
            (input): ProjectSource => ({
              type: 'S3',
              location: sourceLocation(input),
              sourceIdentifier: input.name,
            }),
          ),
        }),
    artifactsOverride: firstOutput === undefined ? { type: 'NO_ARTIFACTS' } : artifact(firstOutput.name),
    ...(otherOutputs.length === 0
      ? {}
      : {
          secondaryArtifactsOverride: otherOutputs.map((output) => ({
            ...artifact(output.name),
            artifactIdentifier: output.name,
          })),
        }),
    environmentVariablesOverride: environmentOf(run, spec.environment),
    timeoutInMinutesOverride: timeoutMinutes,
    ...(options.kmsKeyArn === undefined ? {} : { encryptionKeyOverride: options.kmsKeyArn }),
  };
}

/**
 * Starts the attempt's build and answers `Waiting`; its completion arrives as an EventBridge event.
 *
 * @example
 * ```ts
 * await startRunnerBuild(run, options, { buildspec, environment }); // { status: 'Waiting', summary: 'CodeBuild build …' }
 * ```
 */
export async function startRunnerBuild(
  run: ActionRun,
  options: RunnerBuildOptions,
  spec: RunnerBuildSpec,
): Promise<ActionOutcome> {
  const input = runnerBuildInput(run, options, spec);
  let buildId: string | undefined;
  try {
    const output = await options.codebuild.send(new StartBuildCommand(input), { abortSignal: run.signal });
    buildId = output.build?.id;
  } catch (error) {
    throw awsFailure(
      error,
      `starting a build on CodeBuild project ${options.runnerProject}`,
      "check that Pipewright's runner project exists (sst deploy creates it) and accepts the overrides",
    );
  }
  if (buildId === undefined) {
    throw new ProviderFailure(
      'SystemUnavailable',
      'CodeBuild StartBuild returned no build id; retry the action',
    );
  }
  run.log.write('system', `started CodeBuild build ${buildId} on project ${options.runnerProject}\n`);
  return { status: 'Waiting', summary: `CodeBuild build ${buildId}` };
}

function primaryInput(run: ActionRun, name: string | undefined): ActionInput | undefined {
  if (name === undefined) return run.inputs[0];
  const input = run.inputs.find((i) => i.name === name);
  if (input === undefined) {
    configurationError(`PrimarySource ${name} is not one of the action's input artifacts`);
  }
  return input;
}

function sourceLocation(input: ActionInput): string {
  const { bucket, key } = s3Location(input.artifact.uri, `input artifact ${input.name}`);
  return `${bucket}/${key}`;
}

function checkIdentifier(name: string, what: string): void {
  if (!IDENTIFIER.test(name)) {
    configurationError(
      `${what} ${JSON.stringify(name)} cannot name a CodeBuild secondary source or artifact; use only letters, digits and _ (at most 127)`,
    );
  }
}

function environmentOf(run: ActionRun, declared: readonly EnvironmentVariable[]): EnvironmentVariable[] {
  const byName = new Map<string, EnvironmentVariable>();
  for (const variable of declared) {
    const name = variable.name ?? '';
    if (!ENV_NAME.test(name)) {
      configurationError(
        `environment variable name ${JSON.stringify(name)} is not valid; use letters, digits and _`,
      );
    }
    if (RESERVED_ENV.test(name)) {
      configurationError(
        `environment variable ${name} uses a reserved prefix (PIPEWRIGHT_, CODEBUILD_); rename it`,
      );
    }
    byName.delete(name);
    byName.set(name, variable);
  }
  const typeId = run.action.actionTypeId;
  const identity: Record<string, string> = {
    [RUNNER_IDENTITY.pipeline]: run.pipeline,
    [RUNNER_IDENTITY.executionId]: run.executionId,
    [RUNNER_IDENTITY.stage]: run.stage,
    [RUNNER_IDENTITY.action]: run.action.name,
    [RUNNER_IDENTITY.stageAttempt]: String(run.stageAttempt),
    [RUNNER_IDENTITY.attempt]: String(run.attempt),
    [RUNNER_IDENTITY.actionExecutionId]: run.actionExecutionId,
    [RUNNER_IDENTITY.provider]: `${typeId.category}/${typeId.provider}`,
  };
  for (const [name, value] of Object.entries(identity)) byName.set(name, { name, value, type: 'PLAINTEXT' });
  return [...byName.values()];
}
