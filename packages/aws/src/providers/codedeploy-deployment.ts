/**
 * A CodeDeploy deployment as the CodeDeploy and CodeDeployToECS actions run it: created once
 * per attempt (its description names the action execution; a start made again finds it
 * among the group's active deployments instead of creating another), polled with
 * `GetDeployment` until `Succeeded`, `Failed` or `Stopped` (with CodeDeploy's error and
 * rollback), and stopped with `StopDeployment` (rolling back) when the execution is stopped.
 *
 * @example
 * ```ts
 * const id = await createDeployment(codedeploy, run, { revisionType: 'S3', s3Location });
 * await pollDeployment(codedeploy, run, { deploymentId: id });
 * ```
 */
import {
  type CodeDeployClient,
  CreateDeploymentCommand,
  GetDeploymentCommand,
  ListDeploymentsCommand,
  type RevisionLocation,
  StopDeploymentCommand,
} from '@aws-sdk/client-codedeploy';
import type { ActionCancelRequest, ActionOutcome, ActionRun } from '@pipewright/engine';
import { awsFailure } from './aws-failure.ts';
import { checkedConfiguration, required } from './checked-configuration.ts';
import { inProgress, type WaitState } from './long-wait.ts';

/** Seconds between looks at a deployment. */
export const CODEDEPLOY_POLL_SECONDS = 15;
const ACTIVE = ['Created', 'Queued', 'InProgress', 'Baking', 'Ready'] as const;

function groupOf(run: Pick<ActionRun, 'action'>): { applicationName: string; deploymentGroupName: string } {
  const config = checkedConfiguration(run as ActionRun);
  return {
    applicationName: required(config, 'ApplicationName'),
    deploymentGroupName: required(config, 'DeploymentGroupName'),
  };
}

/**
 * The description every deployment of an attempt carries: how a start made again finds it.
 *
 * @example
 * ```ts
 * deploymentDescription({ pipeline: 'web', actionExecutionId: '7f0c:Deploy:Fleet:0:1' }); // 'Pipewright web 7f0c:Deploy:Fleet:0:1'
 * ```
 */
export function deploymentDescription(run: Pick<ActionRun, 'pipeline' | 'actionExecutionId'>): string {
  return `Pipewright ${run.pipeline} ${run.actionExecutionId}`.slice(0, 512);
}

/**
 * Creates the attempt's deployment of `revision` (or finds it when the start is made again)
 * and answers InProgress with its id.
 *
 * @example
 * ```ts
 * await startDeployment(codedeploy, run, { revisionType: 'AppSpecContent', appSpecContent: { content } });
 * ```
 */
export async function startDeployment(
  codedeploy: CodeDeployClient,
  run: ActionRun,
  revision: RevisionLocation,
): Promise<ActionOutcome> {
  const group = groupOf(run);
  const where = `deployment group ${group.deploymentGroupName} of application ${group.applicationName}`;
  let deploymentId = run.progress?.restart === true ? await existing(codedeploy, run) : undefined;
  if (deploymentId === undefined) {
    const created = await codedeploy
      .send(new CreateDeploymentCommand({ ...group, revision, description: deploymentDescription(run) }), {
        abortSignal: run.signal,
      })
      .catch((error: unknown) => {
        throw awsFailure(error, `creating a deployment in ${where}`);
      });
    deploymentId = created.deploymentId ?? '';
  }
  const summary = `deployment ${deploymentId} in ${where}`;
  run.log.write('system', `${summary}\n`);
  return inProgress({ deploymentId }, CODEDEPLOY_POLL_SECONDS, {
    summary,
    externalExecutionId: deploymentId,
  });
}

/** The attempt's active deployment in the group, if a lost answer hid its creation. */
async function existing(codedeploy: CodeDeployClient, run: ActionRun): Promise<string | undefined> {
  const listed = await codedeploy
    .send(new ListDeploymentsCommand({ ...groupOf(run), includeOnlyStatuses: [...ACTIVE] }), {
      abortSignal: run.signal,
    })
    .catch((error: unknown) => {
      throw awsFailure(error, "listing the deployment group's deployments");
    });
  for (const id of (listed.deployments ?? []).slice(0, 5)) {
    const info = await codedeploy.send(new GetDeploymentCommand({ deploymentId: id }), {
      abortSignal: run.signal,
    });
    if (info.deploymentInfo?.description === deploymentDescription(run)) return id;
  }
  return undefined;
}

/**
 * One look at the deployment: InProgress, or how it ended.
 *
 * @example
 * ```ts
 * await pollDeployment(codedeploy, run, { deploymentId: 'd-ABC123' }); // { status: 'Succeeded', … }
 * ```
 */
export async function pollDeployment(
  codedeploy: CodeDeployClient,
  run: ActionRun,
  state: WaitState,
): Promise<ActionOutcome> {
  const deploymentId = String(state.deploymentId);
  const got = await codedeploy
    .send(new GetDeploymentCommand({ deploymentId }), { abortSignal: run.signal })
    .catch((error: unknown) => {
      throw awsFailure(error, `getting deployment ${deploymentId}`);
    });
  const info = got.deploymentInfo;
  const status = info?.status ?? 'Unknown';
  const external = { externalExecutionId: deploymentId };
  if ((ACTIVE as readonly string[]).includes(status)) {
    const o = info?.deploymentOverview;
    const counts = o
      ? ` (${o.Succeeded ?? 0} succeeded, ${o.InProgress ?? 0} in progress, ${o.Pending ?? 0} pending)`
      : '';
    return inProgress(state, CODEDEPLOY_POLL_SECONDS, {
      summary: `deployment ${deploymentId} is ${status}${counts}`,
    });
  }
  if (status === 'Succeeded') {
    const summary = `deployment ${deploymentId} succeeded`;
    run.log.write('system', `${summary}\n`);
    return { status: 'Succeeded', outputArtifacts: [], outputVariables: {}, summary, ...external };
  }
  const error = info?.errorInformation;
  const rollback = info?.rollbackInfo?.rollbackDeploymentId
    ? `; rolled back by deployment ${info.rollbackInfo.rollbackDeploymentId}${info.rollbackInfo.rollbackMessage ? ` (${info.rollbackInfo.rollbackMessage})` : ''}`
    : '';
  const message = `deployment ${deploymentId} ${status}${error ? `: ${error.code ?? ''} ${error.message ?? ''}`.trimEnd() : ''}${rollback}`;
  run.log.write('system', `${message}\n`);
  return { status: 'Failed', error: { type: 'JobFailed', message }, ...external };
}

/**
 * On a stop: stops the attempt's deployment, rolling it back.
 *
 * @example
 * ```ts
 * await stopDeployment(codedeploy, request); // StopDeployment { deploymentId, autoRollbackEnabled: true }
 * ```
 */
export async function stopDeployment(
  codedeploy: CodeDeployClient,
  request: ActionCancelRequest,
): Promise<void> {
  if (request.externalExecutionId === undefined) return;
  await codedeploy.send(
    new StopDeploymentCommand({ deploymentId: request.externalExecutionId, autoRollbackEnabled: true }),
    {
      abortSignal: AbortSignal.timeout(60_000),
    },
  );
}
