/**
 * Completing a `BatchEnabled` CodeBuild action. Every build of a batch carries the attempt's
 * `PIPEWRIGHT_*` variables (the batch's environment overrides), so each one's "CodeBuild
 * Build State Change" event reaches the callback; the batch has no event of its own. On each,
 * BatchGetBuildBatches tells whether the batch is over: when CodeBuild marks it complete, or
 * when every build group's current build has finished. Until then the event completes nothing
 * (a later build's event will). The outcome: succeeded when the batch did (or, before CodeBuild
 * marks it, when every group that may not fail succeeded); the batch's combined artifacts
 * (`CombineArtifacts`) are the output artifact. Batch builds export no variables (as in
 * CodePipeline).
 *
 * @example
 * ```ts
 * const outcome = await batchOutcome(codebuild, build.buildBatchArn, deps);
 * ```
 */
import {
  BatchGetBuildBatchesCommand,
  type BuildBatch,
  type CodeBuildClient,
} from '@aws-sdk/client-codebuild';
import type { ActionOutcome, StoredArtifact } from '@pipewright/engine';
import { AwsAdapterError } from '../errors.ts';
import type { ArtifactAdopter } from './codebuild-completion.ts';
import { s3UriOfArn } from './s3-location.ts';

const FINAL = new Set(['SUCCEEDED', 'FAILED', 'FAULT', 'STOPPED', 'TIMED_OUT']);

/**
 * The outcome of the batch a build belongs to, or `undefined` while the batch still runs.
 *
 * @throws {AwsAdapterError} `PW6402` (retryable) when CodeBuild does not return the batch.
 * @example
 * ```ts
 * (await batchOutcome(codebuild, 'arn:aws:codebuild:…:build-batch/app:7b1e', { artifacts }))?.status; // 'Succeeded'
 * ```
 */
export async function batchOutcome(
  codebuild: CodeBuildClient,
  batchArn: string,
  deps: {
    artifacts: ArtifactAdopter;
    external: { externalExecutionId: string; externalExecutionUrl?: string };
  },
): Promise<ActionOutcome | undefined> {
  const id = batchArn.includes(':build-batch/')
    ? batchArn.slice(batchArn.indexOf(':build-batch/') + 13)
    : batchArn;
  const output = await codebuild.send(new BatchGetBuildBatchesCommand({ ids: [id] }));
  const batch = output.buildBatches?.[0];
  if (batch === undefined) {
    throw new AwsAdapterError(
      'PW6402',
      `CodeBuild does not return batch build ${id} yet; the event is retried`,
      {
        retryable: true,
      },
    );
  }
  const status = batchStatus(batch);
  if (status === undefined) return undefined;
  const external = { ...deps.external, externalExecutionId: batch.id ?? id };
  if (status !== 'SUCCEEDED') {
    const failedGroups = (batch.buildGroups ?? [])
      .filter((g) => g.currentBuildSummary?.buildStatus !== 'SUCCEEDED' && g.ignoreFailure !== true)
      .map((g) => `${g.identifier ?? '?'} (${g.currentBuildSummary?.buildStatus ?? 'not run'})`);
    return {
      status: 'Failed',
      error: {
        type: 'JobFailed',
        message: `CodeBuild batch build ${external.externalExecutionId} ${status === 'STOPPED' ? 'was stopped' : status === 'TIMED_OUT' ? 'timed out' : 'failed'}${failedGroups.length > 0 ? `: ${failedGroups.join(', ')}` : ''}`,
      },
      ...external,
    };
  }
  const outputArtifacts: StoredArtifact[] = [];
  const primary = s3UriOfArn(batch.artifacts?.location);
  if (primary !== undefined) {
    const name = (primary.split('/').pop() ?? '').replace(/\.zip$/, '');
    outputArtifacts.push(await deps.artifacts.adopt(name, primary));
  }
  return {
    status: 'Succeeded',
    outputArtifacts,
    outputVariables: {},
    summary: `CodeBuild batch build ${external.externalExecutionId} succeeded`,
    ...external,
  };
}

/** The batch's final status, or `undefined` while any build that decides it still runs. */
function batchStatus(batch: BuildBatch): string | undefined {
  if (batch.complete === true && batch.buildBatchStatus !== undefined && FINAL.has(batch.buildBatchStatus)) {
    return batch.buildBatchStatus;
  }
  const groups = batch.buildGroups ?? [];
  if (groups.length === 0) return undefined;
  const statuses = groups.map((g) => g.currentBuildSummary?.buildStatus);
  if (!statuses.every((s) => s !== undefined && FINAL.has(s))) return undefined;
  const failed = groups.some(
    (g) => g.currentBuildSummary?.buildStatus !== 'SUCCEEDED' && g.ignoreFailure !== true,
  );
  return failed ? 'FAILED' : 'SUCCEEDED';
}
