/**
 * `Deploy/CodeDeployToECS` (blue/green) as CodePipeline runs it: the task definition template
 * (`TaskDefinitionTemplateArtifact` / `TaskDefinitionTemplatePath`, default `taskdef.json`)
 * with each `<Image<N>ContainerName>` placeholder replaced by the `ImageURI` of the
 * `imageDetail.json` in `Image<N>ArtifactName` (up to 4) → `RegisterTaskDefinition` → the
 * AppSpec template (`AppSpecTemplateArtifact` / `AppSpecTemplatePath`, default `appspec.yaml`)
 * with `<TASK_DEFINITION>` replaced by its ARN → `CreateDeployment` with that AppSpec content
 * → polled up to 5 days (see `codedeploy-deployment.ts`). A stop stops the deployment.
 *
 * @example
 * ```ts
 * const provider = awsCodeDeployToEcsProvider({ codedeploy, ecs });
 * await provider.run(run); // { status: 'InProgress', state: { deploymentId }, … }
 * ```
 */
import type { CodeDeployClient } from '@aws-sdk/client-codedeploy';
import {
  DescribeTaskDefinitionCommand,
  type ECSClient,
  RegisterTaskDefinitionCommand,
  type RegisterTaskDefinitionCommandInput,
} from '@aws-sdk/client-ecs';
import { MAX_ECS_IMAGES } from '@pipewright/core';
import type { ActionOutcome, ActionProvider, ActionRun } from '@pipewright/engine';
import { awsFailure } from './aws-failure.ts';
import { checkedConfiguration, required } from './checked-configuration.ts';
import { type ClientSource, clientOf } from './client-source.ts';
import { artifactFile } from './cloudformation-inputs.ts';
import { pollDeployment, startDeployment, stopDeployment } from './codedeploy-deployment.ts';
import { ECS_REVISION_TAG } from './ecs-deploy.ts';
import { renderAppSpec, renderTaskDefinition, type TemplateImage } from './ecs-templates.ts';
import { parseImageDetail } from './image-definitions.ts';
import { longWait } from './long-wait.ts';

/**
 * Options of {@link awsCodeDeployToEcsProvider}.
 *
 * @example
 * ```ts
 * const options: CodeDeployToEcsOptions = { codedeploy: new CodeDeployClient({}), ecs: new ECSClient({}) };
 * ```
 */
export interface CodeDeployToEcsOptions {
  codedeploy: ClientSource<CodeDeployClient>;
  ecs: ClientSource<ECSClient>;
}

/**
 * The CodeDeployToECS provider.
 *
 * @example
 * ```ts
 * awsCodeDeployToEcsProvider({ codedeploy, ecs }).provider; // 'CodeDeployToECS'
 * ```
 */
export function awsCodeDeployToEcsProvider(options: CodeDeployToEcsOptions): ActionProvider {
  return {
    categories: ['Deploy'],
    provider: 'CodeDeployToECS',
    run: (run) =>
      longWait(run, {
        start: () => start(run, options),
        poll: async (state) => pollDeployment(await clientOf(options.codedeploy, run), run, state),
      }),
    cancel: async (request) => stopDeployment(await clientOf(options.codedeploy, request), request),
  };
}

async function start(run: ActionRun, options: CodeDeployToEcsOptions): Promise<ActionOutcome> {
  const config = checkedConfiguration(run);
  const taskdefRef = `${required(config, 'TaskDefinitionTemplateArtifact')}::${config.TaskDefinitionTemplatePath ?? 'taskdef.json'}`;
  const appspecRef = `${required(config, 'AppSpecTemplateArtifact')}::${config.AppSpecTemplatePath ?? 'appspec.yaml'}`;
  const images: TemplateImage[] = [];
  for (let n = 1; n <= MAX_ECS_IMAGES; n++) {
    const artifact = config[`Image${n}ArtifactName`];
    if (artifact === undefined) continue;
    const ref = `${artifact}::imageDetail.json`;
    const { text } = await artifactFile(run, ref, `Image${n}ArtifactName`);
    images.push({
      placeholder: required(config, `Image${n}ContainerName`),
      imageUri: parseImageDetail(text, ref),
    });
  }
  const taskdef = renderTaskDefinition(
    (await artifactFile(run, taskdefRef, 'TaskDefinitionTemplatePath')).text,
    images,
    taskdefRef,
  );
  const appspecTemplate = (await artifactFile(run, appspecRef, 'AppSpecTemplatePath')).text;
  renderAppSpec(appspecTemplate, 'arn', appspecRef); // refuses a template without <TASK_DEFINITION> before registering
  const arn = await register(
    run,
    await clientOf(options.ecs, run),
    JSON.parse(taskdef) as RegisterTaskDefinitionCommandInput,
  );
  const content = renderAppSpec(appspecTemplate, arn, appspecRef);
  return startDeployment(await clientOf(options.codedeploy, run), run, {
    revisionType: 'AppSpecContent',
    appSpecContent: { content },
  });
}

/** Registers the rendered task definition (tagged with the attempt); a start made again reuses the revision it registered. */
async function register(
  run: ActionRun,
  ecs: ECSClient,
  input: RegisterTaskDefinitionCommandInput,
): Promise<string> {
  if (run.progress?.restart === true && input.family !== undefined) {
    const latest = await ecs
      .send(new DescribeTaskDefinitionCommand({ taskDefinition: input.family, include: ['TAGS'] }), {
        abortSignal: run.signal,
      })
      .catch(() => undefined);
    const arn = latest?.taskDefinition?.taskDefinitionArn;
    if (
      arn !== undefined &&
      latest?.tags?.some((t) => t.key === ECS_REVISION_TAG && t.value === run.actionExecutionId)
    ) {
      return arn;
    }
  }
  const tags = [
    ...(input.tags ?? []).filter((t) => t.key !== ECS_REVISION_TAG),
    { key: ECS_REVISION_TAG, value: run.actionExecutionId },
  ];
  const registered = await ecs
    .send(new RegisterTaskDefinitionCommand({ ...input, tags }), { abortSignal: run.signal })
    .catch((error: unknown) => {
      throw awsFailure(error, `registering task definition ${input.family ?? '(no family)'}`);
    });
  const arn = registered.taskDefinition?.taskDefinitionArn ?? '';
  run.log.write('system', `registered ${arn}\n`);
  return arn;
}
