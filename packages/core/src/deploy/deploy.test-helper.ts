/** Names and pipelines of real providers for the deploy tests. */
import type { Action, ActionCategory, Pipeline, Stage } from '../model/pipeline.ts';
import { testPipeline } from '../testing/fake-pipeline.ts';
import type { DeploymentNames } from './deployment-names.ts';

/** Where the tests deploy. @example `deploymentPlan([p], NAMES)` */
export const NAMES: DeploymentNames = {
  app: 'pipewright',
  stage: 'prod',
  region: 'eu-west-1',
  accountId: '123456789012',
  artifactKeyArn: 'arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab',
};

/** An action of `category/provider` with `configuration`. @example `action('Build', 'Build', 'CodeBuild', { ProjectName: 'p' })` */
export function action(
  name: string,
  category: ActionCategory,
  provider: string,
  configuration: Record<string, string> = {},
  extra: Partial<Action> = {},
): Action {
  return {
    name,
    actionTypeId: { category, owner: 'AWS', provider, version: '1' },
    runOrder: 1,
    configuration,
    inputArtifacts: [],
    outputArtifacts: [],
    ...extra,
  };
}

/** A pipeline named `name` of `stages`. @example `pipeline('web', [{ name: 'S', actions: [...] }])` */
export function pipeline(name: string, stages: Stage[], extra: Partial<Pipeline> = {}): Pipeline {
  return testPipeline(stages, { name, ...extra });
}
