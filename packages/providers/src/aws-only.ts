/**
 * Providers that need AWS. Locally each fails with a `ConfigurationError` that names what it
 * needs and what to do instead, so a pipeline that deploys to AWS still loads, validates and
 * runs its other stages on a laptop.
 *
 * @example
 * ```ts
 * awsOnlyProvider('Deploy', 'CloudFormation').run(run); // Failed, ConfigurationError
 * ```
 */
import type { ActionCategory } from '@pipewright/core';
import type { ActionProvider } from '@pipewright/engine';
import { failed } from './outcome.ts';

/** `category/provider` pairs that only run in AWS, with what each would touch there. */
export const AWS_ONLY_PROVIDERS: readonly { category: ActionCategory; provider: string; needs: string }[] = [
  { category: 'Deploy', provider: 'CloudFormation', needs: 'AWS CloudFormation stacks' },
  { category: 'Deploy', provider: 'CloudFormationStackSet', needs: 'AWS CloudFormation StackSets' },
  { category: 'Deploy', provider: 'CloudFormationStackInstances', needs: 'AWS CloudFormation StackSets' },
  { category: 'Deploy', provider: 'CodeDeploy', needs: 'AWS CodeDeploy' },
  { category: 'Deploy', provider: 'CodeDeployToECS', needs: 'AWS CodeDeploy and Amazon ECS' },
  { category: 'Deploy', provider: 'ECS', needs: 'Amazon ECS' },
  { category: 'Deploy', provider: 'EKS', needs: 'Amazon EKS' },
  { category: 'Deploy', provider: 'EC2', needs: 'Amazon EC2' },
  { category: 'Deploy', provider: 'ElasticBeanstalk', needs: 'AWS Elastic Beanstalk' },
  { category: 'Deploy', provider: 'AppConfig', needs: 'AWS AppConfig' },
  { category: 'Deploy', provider: 'ServiceCatalog', needs: 'AWS Service Catalog' },
  { category: 'Deploy', provider: 'AlexaSkillsKit', needs: 'the Alexa Skills Kit' },
  { category: 'Source', provider: 'ECR', needs: 'Amazon ECR' },
  { category: 'Source', provider: 'S3', needs: 'a versioned Amazon S3 bucket' },
  { category: 'Build', provider: 'ECRBuildAndPublish', needs: 'Amazon ECR' },
  { category: 'Test', provider: 'DeviceFarm', needs: 'AWS Device Farm' },
  { category: 'Invoke', provider: 'StepFunctions', needs: 'AWS Step Functions' },
  { category: 'Invoke', provider: 'InspectorScan', needs: 'Amazon Inspector' },
];

/**
 * A provider that fails clearly because `category/provider` needs AWS.
 *
 * @example
 * ```ts
 * awsOnlyProvider('Deploy', 'ECS', 'Amazon ECS').provider; // 'ECS'
 * ```
 */
export function awsOnlyProvider(category: ActionCategory, provider: string, needs = 'AWS'): ActionProvider {
  return {
    categories: [category],
    provider,
    async run(run) {
      return failed(
        'ConfigurationError',
        `${category}/${provider} action "${run.action.name}" needs ${needs} and cannot run locally. ` +
          'Deploy the pipeline to your AWS account with `sst deploy` and run it there, or replace this action for ' +
          'local runs with one that runs locally (e.g. a Build/Commands action running your deploy tool, an ' +
          'Invoke/Lambda action with a local module, or Deploy/S3 to a directory).',
      );
    },
  };
}

/**
 * An action of a pipeline whose provider runs only in AWS.
 *
 * @example
 * ```ts
 * const a: AwsOnlyAction = { stage: 'Deploy', action: 'Service', provider: 'Deploy/ECS', needs: 'Amazon ECS' };
 * ```
 */
export interface AwsOnlyAction {
  stage: string;
  action: string;
  /** `Category/Provider`. */
  provider: string;
  needs: string;
}

/**
 * The actions of `pipeline` that only run in AWS ({@link AWS_ONLY_PROVIDERS}), in pipeline order:
 * what `pipewright run` names before it refuses to start without the AWS opt-in.
 *
 * @example
 * ```ts
 * awsOnlyActions(pipeline); // [{ stage: 'Source', action: 'Image', provider: 'Source/ECR', needs: 'Amazon ECR' }]
 * ```
 */
export function awsOnlyActions(pipeline: {
  stages: readonly {
    name: string;
    actions: readonly { name: string; actionTypeId: { category: string; provider: string } }[];
  }[];
}): AwsOnlyAction[] {
  return pipeline.stages.flatMap((stage) =>
    stage.actions.flatMap((action) => {
      const { category, provider } = action.actionTypeId;
      const known = AWS_ONLY_PROVIDERS.find((p) => p.category === category && p.provider === provider);
      return known === undefined
        ? []
        : [
            {
              stage: stage.name,
              action: action.name,
              provider: `${category}/${provider}`,
              needs: known.needs,
            },
          ];
    }),
  );
}
