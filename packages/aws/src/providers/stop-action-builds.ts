/**
 * Stopping the CodeBuild builds of actions that no longer wait for them: an action abandoned
 * (the execution stopped with abandon) or failed while its build still ran (its stage failed,
 * it timed out, the execution ended in the console). The projector reads those events from
 * the log ({@link buildsToStop}) and {@link stopActionBuild} stops each build, found among the
 * project's most recent builds by the `PIPEWRIGHT_ACTION_EXECUTION_ID` it was started with
 * (CodeBuild has no lookup by idempotency token). A build that already finished is left alone,
 * so a duplicate delivery stops nothing twice.
 *
 * @example
 * ```ts
 * for (const target of buildsToStop(history, batch, env.runnerProject)) await stopActionBuild(codebuild, target);
 * ```
 */
import {
  BatchGetBuildBatchesCommand,
  BatchGetBuildsCommand,
  type CodeBuildClient,
  ListBuildBatchesForProjectCommand,
  ListBuildsForProjectCommand,
  StopBuildBatchCommand,
  StopBuildCommand,
} from '@aws-sdk/client-codebuild';
import type { EventRecord } from '@pipewright/core';
import { RUNNER_IDENTITY } from './runner-build.ts';

/**
 * One build to stop.
 *
 * @example
 * ```ts
 * const target: BuildToStop = { project: 'app-build', actionExecutionId: '7f0c:Build:Compile:0:1', batch: false };
 * ```
 */
export interface BuildToStop {
  project: string;
  actionExecutionId: string;
  batch: boolean;
}

const RUNNER_SOURCES = new Set(['Git', 'GitHub', 'CodeStarSourceConnection', 'CodeCommit']);
/** How many of a project's latest builds are searched (builds in flight are among the newest). */
const SEARCHED_BUILDS = 100;

/**
 * The builds whose actions `batch` abandons or fails without the build having ended (no
 * external execution id), read from the actions' `ActionStarted` in `history` or `batch`.
 *
 * @example
 * ```ts
 * buildsToStop(history, [abandoned], 'pipewright-prod-runner');
 * // [{ project: 'app-build', actionExecutionId: '7f0c:Build:Compile:0:1', batch: false }]
 * ```
 */
export function buildsToStop(
  history: readonly EventRecord[],
  batch: readonly EventRecord[],
  runnerProject: string,
): BuildToStop[] {
  const targets: BuildToStop[] = [];
  for (const record of batch) {
    if (record.type !== 'ActionAbandoned' && record.type !== 'ActionFailed') continue;
    const ended = record.data as { actionExecutionId?: string; externalExecutionId?: string };
    if (ended.actionExecutionId === undefined || ended.externalExecutionId !== undefined) continue;
    const started = [...history, ...batch].find(
      (r) =>
        r.type === 'ActionStarted' &&
        (r.data as { actionExecutionId?: string }).actionExecutionId === ended.actionExecutionId,
    );
    const data = started?.data as
      | {
          actionTypeId: { category: string; provider: string };
          resolvedConfiguration: Record<string, string>;
        }
      | undefined;
    if (data === undefined) continue;
    const { category, provider } = data.actionTypeId;
    const config = data.resolvedConfiguration;
    if (provider === 'CodeBuild' && config.ProjectName) {
      const batchBuild = /^true$/i.test(config.BatchEnabled ?? '');
      targets.push({
        project: config.ProjectName,
        actionExecutionId: ended.actionExecutionId,
        batch: batchBuild,
      });
    } else if (provider === 'Commands' || (category === 'Source' && RUNNER_SOURCES.has(provider))) {
      targets.push({ project: runnerProject, actionExecutionId: ended.actionExecutionId, batch: false });
    }
  }
  return targets;
}

/**
 * Stops the in-progress build (or batch build) of `target`; answers the stopped id, or
 * `undefined` when none runs.
 *
 * @example
 * ```ts
 * await stopActionBuild(codebuild, { project: 'app-build', actionExecutionId: '7f0c:Build:Compile:0:1', batch: false });
 * // 'app-build:0b1c…'
 * ```
 */
export async function stopActionBuild(
  codebuild: CodeBuildClient,
  target: BuildToStop,
): Promise<string | undefined> {
  const projectName = target.project;
  const carries = (variables: { name?: string; value?: string }[] | undefined) =>
    (variables ?? []).some(
      (v) => v.name === RUNNER_IDENTITY.actionExecutionId && v.value === target.actionExecutionId,
    );
  if (target.batch) {
    const list = await codebuild.send(
      new ListBuildBatchesForProjectCommand({
        projectName,
        sortOrder: 'DESCENDING',
        maxResults: SEARCHED_BUILDS,
      }),
    );
    const ids = list.ids ?? [];
    if (ids.length === 0) return undefined;
    const found = (await codebuild.send(new BatchGetBuildBatchesCommand({ ids }))).buildBatches?.find(
      (b) => b.buildBatchStatus === 'IN_PROGRESS' && carries(b.environment?.environmentVariables),
    );
    if (found?.id === undefined) return undefined;
    await codebuild.send(new StopBuildBatchCommand({ id: found.id }));
    return found.id;
  }
  const list = await codebuild.send(
    new ListBuildsForProjectCommand({ projectName, sortOrder: 'DESCENDING' }),
  );
  const ids = (list.ids ?? []).slice(0, SEARCHED_BUILDS);
  if (ids.length === 0) return undefined;
  const found = (await codebuild.send(new BatchGetBuildsCommand({ ids }))).builds?.find(
    (b) => b.buildStatus === 'IN_PROGRESS' && carries(b.environment?.environmentVariables),
  );
  if (found?.id === undefined) return undefined;
  await codebuild.send(new StopBuildCommand({ id: found.id }));
  return found.id;
}

/**
 * Stops the builds `batch` leaves without a waiting action, best effort: a build that cannot be
 * found or stopped (a project in another account, a denied call, throttling) is reported to
 * `onProblem` and passed over, so cleanup never holds back the execution's events and
 * notifications. Answers the stopped build ids.
 *
 * @example
 * ```ts
 * await stopAbandonedBuilds(codebuild, history, batch, 'pipewright-prod-runner', (m) => logger.warn(m));
 * ```
 */
export async function stopAbandonedBuilds(
  codebuild: CodeBuildClient,
  history: readonly EventRecord[],
  batch: readonly EventRecord[],
  runnerProject: string,
  onProblem: (message: string) => void,
): Promise<string[]> {
  const stopped: string[] = [];
  for (const target of buildsToStop(history, batch, runnerProject)) {
    try {
      const id = await stopActionBuild(codebuild, target);
      if (id !== undefined) stopped.push(id);
    } catch (error) {
      onProblem(
        `could not stop the build of ${target.actionExecutionId} in project ${target.project} (${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}); stop it in the CodeBuild console if it still runs`,
      );
    }
  }
  return stopped;
}
