/**
 * `Build|Test/CodeBuild` in AWS: a build of the action's own CodeBuild project
 * (`ProjectName`), as CodePipeline starts it — `StartBuild`, or `StartBuildBatch` when
 * `BatchEnabled` is true — so the build has the project's image, compute, VPC, service role,
 * cache and buildspec. The overrides (see {@link codeBuildProjectInput}) give it the action's
 * input artifacts as its sources (`PrimarySource` picks the primary one; the others are
 * secondary sources named after the artifact), its output artifacts as (secondary) artifacts in
 * Pipewright's artifact bucket, and `EnvironmentVariables` (PLAINTEXT, PARAMETER_STORE,
 * SECRETS_MANAGER: CodeBuild resolves the references) followed by the attempt's `PIPEWRIGHT_*`
 * identity. The provider answers `Waiting`: the build's "CodeBuild Build State Change" event
 * completes the action (`codebuild-completion.ts`) with the exported variables as output
 * variables. No Lambda waits for the build.
 *
 * The idempotency token is the action execution id (execution, stage, action, stage attempt,
 * attempt): a duplicate delivery of the action's task starts no second build. StartBuild is
 * retried on throttling with the same token; access denied, a missing project or rejected
 * overrides fail the action at once with CodeBuild's reason.
 *
 * @example
 * ```ts
 * await awsCodeBuildProvider({ codebuild, artifactBucket: 'pipewright-prod-artifacts' }).run(run);
 * // { status: 'Waiting', summary: 'CodeBuild build app-build:0f3c…' }
 * ```
 */
import {
  type CodeBuildClient,
  StartBuildBatchCommand,
  type StartBuildBatchInput,
  StartBuildCommand,
  type StartBuildInput,
} from '@aws-sdk/client-codebuild';
import type { ActionProvider, ActionRun } from '@pipewright/engine';
import { guardOutcome, ProviderFailure } from '@pipewright/providers';
import { awsFailure } from './aws-failure.ts';
import { declaredEnvironment } from './build-environment.ts';
import { checkedConfiguration, required } from './checked-configuration.ts';
import { type ClientSource, clientOf } from './client-source.ts';
import { type RetryOptions, retrying } from './retrying-send.ts';
import { runnerBuildInput } from './runner-build.ts';

/**
 * What the CodeBuild provider needs.
 *
 * @example
 * ```ts
 * const options: CodeBuildProjectOptions = { codebuild, artifactBucket: 'pipewright-prod-artifacts' };
 * ```
 */
export interface CodeBuildProjectOptions {
  codebuild: ClientSource<CodeBuildClient>;
  /** The artifact bucket the build uploads output artifacts to (of the action's region). */
  artifactBucket: string | ((run: ActionRun) => string);
  /** KMS key of the artifacts (`encryptionKeyOverride`). */
  kmsKeyArn?: string | ((run: ActionRun) => string | undefined);
  retry?: RetryOptions;
  /** Copies the inputs into the action's artifact site when it is another region's (`copyInputsTo`). */
  copyInputs?: (run: ActionRun, site: { bucket: string; kmsKeyArn?: string }) => Promise<ActionRun>;
}

/** The request of one attempt: a build, or a batch build. @example `codeBuildProjectInput(run, site).batch // false` */
export type CodeBuildProjectRequest =
  | { batch: false; input: StartBuildInput }
  | { batch: true; input: StartBuildBatchInput };

/**
 * The CodeBuild provider for Build and Test.
 *
 * @example
 * ```ts
 * awsCodeBuildProvider(options).categories; // ['Build', 'Test']
 * ```
 */
export function awsCodeBuildProvider(options: CodeBuildProjectOptions): ActionProvider {
  return {
    categories: ['Build', 'Test'],
    provider: 'CodeBuild',
    run: (run) =>
      guardOutcome(async () => {
        const site = {
          artifactBucket: perAction(options.artifactBucket, run) ?? '',
          ...optionalKey(perAction(options.kmsKeyArn, run)),
        };
        const sited =
          options.copyInputs === undefined
            ? run
            : await options.copyInputs(run, { bucket: site.artifactBucket, ...optionalKey(site.kmsKeyArn) });
        const request = codeBuildProjectInput(sited, site);
        const codebuild = await clientOf(options.codebuild, run);
        const project = request.input.projectName ?? '';
        let id: string | undefined;
        try {
          id = await retrying(
            async () =>
              request.batch
                ? (await codebuild.send(new StartBuildBatchCommand(request.input))).buildBatch?.id
                : (await codebuild.send(new StartBuildCommand(request.input))).build?.id,
            { ...options.retry, signal: run.signal },
          );
        } catch (error) {
          throw awsFailure(
            error,
            `starting a ${request.batch ? 'batch build' : 'build'} of CodeBuild project ${project}`,
            'check that the project exists in the action’s account and region and accepts source, artifact and environment overrides',
          );
        }
        if (id === undefined) {
          throw new ProviderFailure('SystemUnavailable', 'CodeBuild returned no build id; retry the action');
        }
        const what = request.batch ? 'batch build' : 'build';
        run.log.write('system', `started CodeBuild ${what} ${id} of project ${project}\n`);
        return { status: 'Waiting', summary: `CodeBuild ${what} ${id}` };
      }),
  };
}

/**
 * The exact request an attempt sends (pure): the project, the idempotency token, the source,
 * artifact and environment overrides, `buildspecOverride` only with `BuildspecPath` (a path
 * CodeBuild reads from the primary source), and a timeout only when the action declares
 * `timeoutInMinutes` (otherwise the project's, as in CodePipeline).
 *
 * @example
 * ```ts
 * codeBuildProjectInput(run, { artifactBucket: 'pw-artifacts' }).input.projectName; // 'app-build'
 * ```
 */
export function codeBuildProjectInput(
  run: ActionRun,
  options: { artifactBucket: string; kmsKeyArn?: string },
): CodeBuildProjectRequest {
  const config = checkedConfiguration(run);
  const project = required(config, 'ProjectName');
  const declared = parseEnvironmentVariables(config.EnvironmentVariables);
  const {
    timeoutInMinutesOverride,
    buildspecOverride: _none,
    ...input
  } = runnerBuildInput(
    run,
    { runnerProject: project, ...options },
    {
      buildspec: undefined,
      environment: declaredEnvironment(declared, run, 'EnvironmentVariables', false),
      ...(config.PrimarySource === undefined ? {} : { primarySource: config.PrimarySource }),
    },
  );
  const declaredTimeout = run.action.timeoutInMinutes === undefined ? undefined : timeoutInMinutesOverride;
  const buildspec = config.BuildspecPath === undefined ? {} : { buildspecOverride: config.BuildspecPath };
  if (/^true$/i.test(config.BatchEnabled ?? '')) {
    return {
      batch: true,
      input: {
        ...input,
        ...buildspec,
        ...(declaredTimeout === undefined ? {} : { buildTimeoutInMinutesOverride: declaredTimeout }),
      },
    };
  }
  return {
    batch: false,
    input: {
      ...input,
      ...buildspec,
      ...(declaredTimeout === undefined ? {} : { timeoutInMinutesOverride: declaredTimeout }),
    },
  };
}

function perAction<T>(value: T | ((run: ActionRun) => T), run: ActionRun): T {
  return typeof value === 'function' ? (value as (run: ActionRun) => T)(run) : value;
}

function optionalKey(kmsKeyArn: string | undefined): { kmsKeyArn?: string } {
  return kmsKeyArn === undefined ? {} : { kmsKeyArn };
}

/** Core's schema already checked the shape: a JSON array of `{ name, value, type? }`. */
function parseEnvironmentVariables(
  json: string | undefined,
): { name: string; value: string; type?: string }[] {
  if (json === undefined || json.trim() === '') return [];
  return JSON.parse(json) as { name: string; value: string; type?: string }[];
}
