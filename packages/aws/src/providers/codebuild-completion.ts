/**
 * Completing an action that ran as a CodeBuild build (`runner-build.ts`) from the build's
 * EventBridge "CodeBuild Build State Change" event. The event names the attempt through the
 * `PIPEWRIGHT_*` environment variables the build was started with; events of other builds, and
 * of builds that have not finished, give `undefined`. For a finished build BatchGetBuilds gives
 * the exported variables, the resolved source version, the phases and the uploaded artifacts;
 * each output artifact is adopted into the artifact store by its S3 location.
 *
 * The result depends only on the event and the (finished, immutable) build, so a duplicate
 * delivery gives the same completion; recording it twice is the engine's no-op.
 *
 * @example
 * ```ts
 * const done = await codeBuildCompletion(event, { codebuild, artifacts: artifactStore });
 * if (done) await engine.completeAction({ pipeline: done.pipeline, executionId: done.executionId, ...done.ref, outcome: done.outcome });
 * ```
 */
import { BatchGetBuildsCommand, type Build, type CodeBuildClient } from '@aws-sdk/client-codebuild';
import type { ActionRef } from '@pipewright/core';
import type { ActionOutcome, StoredArtifact } from '@pipewright/engine';
import { AwsAdapterError } from '../errors.ts';
import { batchOutcome } from './codebuild-batch-completion.ts';
import { RUNNER_IDENTITY } from './runner-build.ts';
import { s3UriOfArn } from './s3-location.ts';

/**
 * Turns an S3 object that a build uploaded into a stored artifact (the S3 artifact store's `adopt`).
 *
 * @example
 * ```ts
 * const adopter: ArtifactAdopter = new S3ArtifactStore({ client, bucket: 'pipewright-prod-artifacts' });
 * ```
 */
export interface ArtifactAdopter {
  adopt(name: string, uri: string): Promise<StoredArtifact>;
}

/**
 * What a finished build means for its action attempt.
 *
 * @example
 * ```ts
 * const done: CodeBuildCompleted = { pipeline: 'web-app', executionId: '7f0c',
 *   ref: { stageName: 'Build', actionName: 'Test', stageAttempt: 0, attempt: 1, actionExecutionId: '7f0c:Build:Test:0:1' },
 *   outcome: { status: 'Succeeded', outputArtifacts: [], outputVariables: {} } };
 * ```
 */
export interface CodeBuildCompleted {
  pipeline: string;
  executionId: string;
  ref: ActionRef;
  outcome: ActionOutcome;
}

/** CodeBuild's final build statuses. */
const FINAL = ['SUCCEEDED', 'FAILED', 'FAULT', 'STOPPED', 'TIMED_OUT'] as const;
type FinalStatus = (typeof FINAL)[number];

const GIT_SOURCE_FIELDS = ['CommitId', 'BranchName', 'CommitMessage'];

/**
 * The completion a CodeBuild state-change event carries, or `undefined` when the event is not
 * about a finished Pipewright build.
 *
 * @throws {AwsAdapterError} `PW6401` when the event names a Pipewright attempt incompletely;
 *   `PW6402` (retryable) when BatchGetBuilds does not (yet) show the build finished.
 * @example
 * ```ts
 * (await codeBuildCompletion(event, deps))?.outcome.status; // 'Succeeded'
 * ```
 */
export async function codeBuildCompletion(
  event: unknown,
  deps: { codebuild: CodeBuildClient; artifacts: ArtifactAdopter },
): Promise<CodeBuildCompleted | undefined> {
  if (!isRecord(event) || event.source !== 'aws.codebuild') return undefined;
  if (event['detail-type'] !== 'CodeBuild Build State Change' || !isRecord(event.detail)) return undefined;
  const detail = event.detail;
  const identity = identityOf(detail);
  if (identity === undefined) return undefined;
  const status = detail['build-status'];
  if (!FINAL.includes(status as FinalStatus)) return undefined;
  const buildId = typeof detail['build-id'] === 'string' ? detail['build-id'] : '';
  if (buildId === '') throw invalid('has no build-id');
  const { pipeline, executionId, ref, provider } = parseIdentity(identity);

  // BatchGetBuilds takes build ids (`project:uuid`); the event names the build by its ARN.
  const output = await deps.codebuild.send(new BatchGetBuildsCommand({ ids: [idOfArn(buildId)] }));
  const build = output.builds?.[0];
  if (build === undefined || build.buildComplete === false) {
    throw new AwsAdapterError(
      'PW6402',
      `CodeBuild does not show build ${buildId} finished yet; the event is retried`,
      { retryable: true },
    );
  }
  const externalExecutionId = build.id ?? idOfArn(buildId);
  const url = consoleUrl(build.arn ?? buildId, externalExecutionId);
  const external = { externalExecutionId, ...(url === undefined ? {} : { externalExecutionUrl: url }) };
  const finalStatus = status as FinalStatus;

  if (build.buildBatchArn) {
    const outcome = await batchOutcome(deps.codebuild, build.buildBatchArn, {
      artifacts: deps.artifacts,
      external,
    });
    return outcome === undefined ? undefined : { pipeline, executionId, ref, outcome };
  }

  if (finalStatus !== 'SUCCEEDED') {
    return {
      pipeline,
      executionId,
      ref,
      outcome: {
        status: 'Failed',
        error: {
          type: 'JobFailed',
          message: failureMessage(build, finalStatus, externalExecutionId, detail),
        },
        ...external,
      },
    };
  }

  const outputVariables: Record<string, string> = {};
  for (const variable of build.exportedEnvironmentVariables ?? []) {
    if (variable.name) outputVariables[variable.name] = variable.value ?? '';
  }
  const isSource = provider.startsWith('Source/');
  if (isSource && outputVariables.CommitId === undefined && build.resolvedSourceVersion) {
    outputVariables.CommitId = build.resolvedSourceVersion;
  }
  const outputArtifacts: StoredArtifact[] = [];
  const primary = s3UriOfArn(build.artifacts?.location);
  if (primary !== undefined) {
    const name = (primary.split('/').pop() ?? '').replace(/\.zip$/, '');
    outputArtifacts.push(await deps.artifacts.adopt(name, primary));
  }
  for (const artifact of build.secondaryArtifacts ?? []) {
    const uri = s3UriOfArn(artifact.location);
    if (uri !== undefined && artifact.artifactIdentifier) {
      outputArtifacts.push(await deps.artifacts.adopt(artifact.artifactIdentifier, uri));
    }
  }
  const summary =
    isSource && GIT_SOURCE_FIELDS.every((f) => outputVariables[f] !== undefined)
      ? `${outputVariables.BranchName} @ ${outputVariables.CommitId?.slice(0, 7)}: ${outputVariables.CommitMessage?.trim().split('\n')[0] ?? ''}`
      : `CodeBuild build ${externalExecutionId} succeeded`;
  return {
    pipeline,
    executionId,
    ref,
    outcome: { status: 'Succeeded', outputArtifacts, outputVariables, summary, ...external },
  };
}

/** The PIPEWRIGHT_* variables of the event, or `undefined` when it has none. */
function identityOf(detail: Record<string, unknown>): Map<string, string> | undefined {
  const info = detail['additional-information'];
  const environment = isRecord(info) && isRecord(info.environment) ? info.environment : undefined;
  const list = environment?.['environment-variables'];
  if (!Array.isArray(list)) return undefined;
  const found = new Map<string, string>();
  for (const variable of list) {
    if (
      isRecord(variable) &&
      typeof variable.name === 'string' &&
      variable.name.startsWith('PIPEWRIGHT_') &&
      typeof variable.value === 'string' &&
      (variable.type === undefined || variable.type === 'PLAINTEXT')
    ) {
      found.set(variable.name, variable.value);
    }
  }
  return found.size === 0 ? undefined : found;
}

function parseIdentity(identity: Map<string, string>) {
  const text = (name: string): string => {
    const value = identity.get(name);
    if (value === undefined || value === '') throw invalid(`has no ${name}`);
    return value;
  };
  const integer = (name: string, min: number): number => {
    const value = text(name);
    if (!/^\d+$/.test(value) || Number(value) < min) throw invalid(`has ${name}=${JSON.stringify(value)}`);
    return Number(value);
  };
  return {
    pipeline: text(RUNNER_IDENTITY.pipeline),
    executionId: text(RUNNER_IDENTITY.executionId),
    provider: identity.get(RUNNER_IDENTITY.provider) ?? '',
    ref: {
      stageName: text(RUNNER_IDENTITY.stage),
      actionName: text(RUNNER_IDENTITY.action),
      stageAttempt: integer(RUNNER_IDENTITY.stageAttempt, 0),
      attempt: integer(RUNNER_IDENTITY.attempt, 1),
      actionExecutionId: text(RUNNER_IDENTITY.actionExecutionId),
    } satisfies ActionRef,
  };
}

function invalid(what: string): AwsAdapterError {
  return new AwsAdapterError(
    'PW6401',
    `a CodeBuild event names a Pipewright action but ${what}; builds of the runner project must be started by Pipewright's providers`,
  );
}

function failureMessage(
  build: Build,
  status: Exclude<FinalStatus, 'SUCCEEDED'>,
  id: string,
  detail: Record<string, unknown>,
): string {
  const phase = (build.phases ?? []).find(
    (p) => p.phaseType !== 'COMPLETED' && p.phaseStatus !== undefined && p.phaseStatus !== 'SUCCEEDED',
  );
  const where = phase?.phaseType ?? build.currentPhase;
  const reason = (phase?.contexts ?? [])
    .map((c) => c.message?.trim())
    .filter((m): m is string => Boolean(m))
    .join('; ');
  const what =
    status === 'STOPPED'
      ? 'was stopped'
      : status === 'TIMED_OUT'
        ? 'timed out'
        : status === 'FAULT'
          ? 'faulted (a CodeBuild error, not the buildspec)'
          : 'failed';
  const info = detail['additional-information'];
  const logs = isRecord(info) && isRecord(info.logs) ? info.logs['deep-link'] : undefined;
  const link = build.logs?.deepLink ?? (typeof logs === 'string' ? logs : undefined);
  return [
    `CodeBuild build ${id} ${what}${where ? ` in phase ${where}` : ''}${reason ? `: ${reason}` : ''}`,
    ...(link ? [`logs: ${link}`] : []),
  ].join('\n');
}

/** `project:uuid` from `arn:aws:codebuild:<region>:<account>:build/project:uuid`. */
function idOfArn(arn: string): string {
  const slash = arn.indexOf(':build/');
  return slash >= 0 ? arn.slice(slash + ':build/'.length) : arn;
}

/** The CodeBuild console page of a build, when its ARN tells the region and account. */
function consoleUrl(arn: string, id: string): string | undefined {
  const match = /^arn:aws[a-z-]*:codebuild:([a-z0-9-]+):(\d{12}):build\/([^:]+):/.exec(arn);
  if (!match) return undefined;
  const [, region, account, project] = match;
  return `https://${region}.console.aws.amazon.com/codesuite/codebuild/${account}/projects/${project}/build/${encodeURIComponent(id)}/?region=${region}`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
