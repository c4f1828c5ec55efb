/**
 * `Deploy/ECS` (standard rolling deployment) as CodePipeline runs it: the image definitions
 * file of the input artifact (`FileName`, default `imagedefinitions.json`) → a new revision of
 * the service's current task definition with those images (`RegisterTaskDefinition`) →
 * `UpdateService` → polled (`DescribeServices`) until the new deployment's `rolloutState` is
 * `COMPLETED`, it fails, or ECS rolls it back — within `DeploymentTimeout` minutes (default
 * and most: 60). The new revision is tagged with the action execution id, so a start that is
 * made again finds it and registers nothing twice.
 *
 * @example
 * ```ts
 * const provider = awsEcsDeployProvider({ ecs });
 * await provider.run(run); // { status: 'InProgress', state: { taskDefinitionArn, deadline }, pollAfterSeconds: 15 }
 * ```
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  type ContainerDefinition,
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  type ECSClient,
  RegisterTaskDefinitionCommand,
  type RegisterTaskDefinitionCommandInput,
  type Service,
  type Tag,
  type TaskDefinition,
  UpdateServiceCommand,
} from '@aws-sdk/client-ecs';
import { DEFAULT_IMAGE_DEFINITIONS_FILE, ECS_MAX_DEPLOYMENT_TIMEOUT_MINUTES } from '@pipewright/core';
import type { ActionOutcome, ActionProvider, ActionRun } from '@pipewright/engine';
import { ProviderFailure } from '@pipewright/providers';
import { awsFailure } from './aws-failure.ts';
import { checkedConfiguration, configurationError, required } from './checked-configuration.ts';
import type { ClientSource } from './client-source.ts';
import { type ImageDefinition, parseImageDefinitions } from './image-definitions.ts';
import { inProgress, longWaitProvider, type WaitState } from './long-wait.ts';

/** The tag a registered revision carries: the action execution that registered it. */
export const ECS_REVISION_TAG = 'pipewright:action-execution-id';
/** Seconds between looks at the deployment (ECS deployments take minutes). */
export const ECS_POLL_SECONDS = 15;

/**
 * Options of {@link awsEcsDeployProvider}.
 *
 * @example
 * ```ts
 * const options: EcsDeployOptions = { ecs: new ECSClient({}) };
 * ```
 */
export interface EcsDeployOptions {
  ecs: ClientSource<ECSClient>;
  /** The clock `DeploymentTimeout` is measured with (default: `Date.now`). */
  now?: () => number;
}

/**
 * The ECS deploy provider.
 *
 * @example
 * ```ts
 * awsEcsDeployProvider({ ecs }).provider; // 'ECS'
 * ```
 */
export function awsEcsDeployProvider(options: EcsDeployOptions): ActionProvider {
  return longWaitProvider({
    categories: ['Deploy'],
    provider: 'ECS',
    client: options.ecs,
    start: (run, ecs) => startDeployment(run, { ...options, ecs }),
    poll: (run, ecs, state) => pollDeployment(run, { ...options, ecs }, state),
  });
}

type Resolved = EcsDeployOptions & { ecs: ECSClient };

interface Target {
  cluster: string;
  service: string;
}

function targetOf(run: ActionRun): Target & { config: Readonly<Record<string, string | undefined>> } {
  const config = checkedConfiguration(run);
  return { cluster: required(config, 'ClusterName'), service: required(config, 'ServiceName'), config };
}

async function startDeployment(run: ActionRun, options: Resolved): Promise<ActionOutcome> {
  const { cluster, service, config } = targetOf(run);
  const images = await imageDefinitions(run, config.FileName ?? DEFAULT_IMAGE_DEFINITIONS_FILE);
  const minutes = Number(config.DeploymentTimeout ?? ECS_MAX_DEPLOYMENT_TIMEOUT_MINUTES);
  const deadline = new Date((options.now ?? Date.now)() + minutes * 60_000).toISOString();
  const current = await describeService(options.ecs, { cluster, service }, run.signal);
  const taskDefinition = await send(
    () =>
      options.ecs.send(
        new DescribeTaskDefinitionCommand({ taskDefinition: current.taskDefinition, include: ['TAGS'] }),
        {
          abortSignal: run.signal,
        },
      ),
    `describing task definition ${current.taskDefinition}`,
  );
  const definition = taskDefinition.taskDefinition as TaskDefinition;
  const mine = taskDefinition.tags?.some(
    (t) => t.key === ECS_REVISION_TAG && t.value === run.actionExecutionId,
  );
  let arn = definition.taskDefinitionArn ?? '';
  if (!mine) {
    const input = newRevision(definition, taskDefinition.tags ?? [], images, run.actionExecutionId);
    const registered = await send(
      () => options.ecs.send(new RegisterTaskDefinitionCommand(input), { abortSignal: run.signal }),
      `registering a new revision of task definition ${definition.family}`,
    );
    arn = registered.taskDefinition?.taskDefinitionArn ?? '';
    run.log.write('system', `registered ${arn}\n`);
    await send(
      () =>
        options.ecs.send(new UpdateServiceCommand({ cluster, service, taskDefinition: arn }), {
          abortSignal: run.signal,
        }),
      `updating service ${service} of cluster ${cluster}`,
    );
  }
  const summary = `service ${service} of cluster ${cluster} is deploying ${arn}`;
  run.log.write('system', `${summary}\n`);
  return inProgress({ taskDefinitionArn: arn, deadline, minutes }, ECS_POLL_SECONDS, {
    summary,
    externalExecutionId: arn,
  });
}

async function pollDeployment(run: ActionRun, options: Resolved, state: WaitState): Promise<ActionOutcome> {
  const target = targetOf(run);
  const arn = String(state.taskDefinitionArn);
  const service = await describeService(options.ecs, target, run.signal);
  const ours = service.deployments?.find((d) => d.taskDefinition === arn);
  const where = `service ${target.service} of cluster ${target.cluster}`;
  // Without a rollout state (older deployments): done when it is the only one and runs every task.
  const steady =
    ours?.rolloutState === undefined &&
    service.deployments?.length === 1 &&
    ours?.runningCount !== undefined &&
    ours.runningCount === ours.desiredCount;
  if ((ours?.rolloutState === 'COMPLETED' || steady) && ours?.status === 'PRIMARY') {
    const summary = `${where} runs ${arn}: ${ours.runningCount ?? 0}/${ours.desiredCount ?? 0} tasks`;
    run.log.write('system', `${summary}\n`);
    return {
      status: 'Succeeded',
      outputArtifacts: [],
      outputVariables: {},
      summary,
      ...(ours.id ? { externalExecutionId: ours.id } : {}),
    };
  }
  if (ours?.rolloutState === 'FAILED') {
    return failed(
      run,
      `the deployment of ${arn} to ${where} failed: ${ours.rolloutStateReason ?? 'no reason given'}${events(service, ours.createdAt)}`,
    );
  }
  if (ours === undefined || ours.status !== 'PRIMARY') {
    const primary =
      service.deployments?.find((d) => d.status === 'PRIMARY')?.taskDefinition ?? 'another revision';
    return failed(
      run,
      `the deployment of ${arn} to ${where} was rolled back or replaced: ECS now deploys ${primary}${events(service, ours?.createdAt)}`,
    );
  }
  if ((options.now ?? Date.now)() >= Date.parse(String(state.deadline))) {
    return failed(
      run,
      `the deployment of ${arn} to ${where} did not complete within DeploymentTimeout (${String(state.minutes)} minutes): ${ours.runningCount ?? 0}/${ours.desiredCount ?? 0} tasks run; ECS goes on with it${events(service, ours.createdAt)}`,
    );
  }
  const summary = `${where}: ${ours.rolloutState ?? 'IN_PROGRESS'}, ${ours.runningCount ?? 0}/${ours.desiredCount ?? 0} tasks of ${arn}`;
  return inProgress(state, ECS_POLL_SECONDS, { summary });
}

/** The registration of the same task definition with the new images and the revision tag. */
function newRevision(
  definition: TaskDefinition,
  tags: Tag[],
  images: ImageDefinition[],
  actionExecutionId: string,
): RegisterTaskDefinitionCommandInput {
  const names = (definition.containerDefinitions ?? []).map((c) => c.name ?? '');
  for (const image of images) {
    if (!names.includes(image.name)) {
      configurationError(
        `the image definitions name container ${image.name}, which task definition ${definition.family} does not have (containers: ${names.join(', ')})`,
      );
    }
  }
  const containerDefinitions: ContainerDefinition[] = (definition.containerDefinitions ?? []).map((c) => {
    const image = images.find((i) => i.name === c.name);
    return image === undefined ? c : { ...c, image: image.imageUri };
  });
  const {
    taskDefinitionArn: _arn,
    revision: _revision,
    status: _status,
    requiresAttributes: _requires,
    compatibilities: _compatibilities,
    registeredAt: _registeredAt,
    registeredBy: _registeredBy,
    deregisteredAt: _deregisteredAt,
    ...rest
  } = definition;
  return {
    ...rest,
    family: definition.family,
    containerDefinitions,
    tags: [
      ...tags.filter((t) => t.key !== ECS_REVISION_TAG),
      { key: ECS_REVISION_TAG, value: actionExecutionId },
    ],
  } as RegisterTaskDefinitionCommandInput;
}

async function imageDefinitions(run: ActionRun, fileName: string): Promise<ImageDefinition[]> {
  const input = run.inputs[0];
  if (input === undefined)
    return configurationError('the ECS action needs one input artifact holding the image definitions file');
  const text = await readFile(join(input.dir, fileName), 'utf8').catch(() =>
    configurationError(
      `artifact ${input.name} has no ${fileName}; write it in the build (e.g. printf '[{"name":"web","imageUri":"%s"}]' "$IMAGE" > ${fileName}) or set FileName`,
    ),
  );
  return parseImageDefinitions(text, `${input.name}::${fileName}`);
}

async function describeService(ecs: ECSClient, target: Target, signal: AbortSignal): Promise<Service> {
  const output = await send(
    () =>
      ecs.send(new DescribeServicesCommand({ cluster: target.cluster, services: [target.service] }), {
        abortSignal: signal,
      }),
    `describing service ${target.service} of cluster ${target.cluster}`,
  );
  const service = output.services?.[0];
  if (service === undefined || service.status !== 'ACTIVE') {
    const reason = output.failures?.[0]?.reason ?? service?.status ?? 'MISSING';
    return configurationError(
      `service ${target.service} of cluster ${target.cluster} cannot be deployed (${reason}); check ClusterName and ServiceName`,
    );
  }
  if (service.deploymentController?.type !== undefined && service.deploymentController.type !== 'ECS') {
    return configurationError(
      `service ${target.service} uses the ${service.deploymentController.type} deployment controller; use a Deploy/CodeDeployToECS action for it`,
    );
  }
  return service;
}

/** The service's latest event messages since the deployment began, as extra message lines. */
function events(service: Service, since: Date | undefined): string {
  const recent = (service.events ?? [])
    .filter((e) => since === undefined || (e.createdAt !== undefined && e.createdAt >= since))
    .slice(0, 3)
    .map((e) => e.message ?? '');
  return recent.length === 0 ? '' : `\n${recent.join('\n')}`;
}

function failed(run: ActionRun, message: string): ActionOutcome {
  run.log.write('system', `${message}\n`);
  return { status: 'Failed', error: { type: 'JobFailed', message } };
}

async function send<T>(request: () => Promise<T>, doing: string): Promise<T> {
  try {
    return await request();
  } catch (error) {
    if (error instanceof ProviderFailure) throw error;
    throw awsFailure(error, doing);
  }
}
