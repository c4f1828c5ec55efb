import { describe, expect, it } from 'vitest';
import { CODEDEPLOY_DEPLOY } from './codedeploy-deploy.ts';
import { CODEDEPLOY_TO_ECS_DEPLOY } from './codedeploy-to-ecs-deploy.ts';
import { ECS_DEPLOY } from './ecs-deploy.ts';
import { ELASTIC_BEANSTALK_DEPLOY } from './elastic-beanstalk-deploy.ts';
import { STEP_FUNCTIONS_INVOKE } from './step-functions-invoke.ts';

const problems = (result: {
  success: boolean;
  error?: { issues: { path: PropertyKey[]; message: string }[] };
}) => (result.success ? [] : (result.error?.issues ?? []).map((i) => `${i.path.join('.')}: ${i.message}`));

describe('the AWS deploy provider specs', () => {
  it("wait by polling, need AWS, and carry CodePipeline's timeouts", () => {
    const specs = [
      ECS_DEPLOY,
      CODEDEPLOY_TO_ECS_DEPLOY,
      CODEDEPLOY_DEPLOY,
      ELASTIC_BEANSTALK_DEPLOY,
      STEP_FUNCTIONS_INVOKE,
    ];
    expect(
      specs.map((s) => [
        `${s.category}/${s.provider}`,
        s.defaultTimeoutMinutes,
        s.waitsByPolling,
        s.runsLocally,
      ]),
    ).toEqual([
      ['Deploy/ECS', 60, true, false],
      ['Deploy/CodeDeployToECS', 7200, true, false],
      ['Deploy/CodeDeploy', 7200, true, false],
      ['Deploy/ElasticBeanstalk', 60, true, false],
      ['Invoke/StepFunctions', 10080, true, false],
    ]);
  });

  it('ECS: ClusterName and ServiceName required, DeploymentTimeout whole minutes from 1 to 60', () => {
    expect(
      problems(
        ECS_DEPLOY.configuration.safeParse({
          ClusterName: 'prod',
          ServiceName: 'web',
          DeploymentTimeout: '60',
        }),
      ),
    ).toEqual([]);
    expect(
      problems(
        ECS_DEPLOY.configuration.safeParse({
          ClusterName: 'prod',
          ServiceName: 'web',
          DeploymentTimeout: '61',
        }),
      ),
    ).toEqual(['DeploymentTimeout: must be a whole number of minutes from 1 to 60']);
    expect(problems(ECS_DEPLOY.configuration.safeParse({ ClusterName: 'prod' }))).toHaveLength(1);
  });

  it('CodeDeployToECS: an image artifact needs the placeholder it fills', () => {
    const base = {
      ApplicationName: 'app',
      DeploymentGroupName: 'bg',
      TaskDefinitionTemplateArtifact: 'Src',
      AppSpecTemplateArtifact: 'Src',
    };
    expect(
      problems(
        CODEDEPLOY_TO_ECS_DEPLOY.configuration.safeParse({
          ...base,
          Image4ArtifactName: 'Img',
          Image4ContainerName: 'IMAGE4_NAME',
        }),
      ),
    ).toEqual([]);
    expect(
      problems(CODEDEPLOY_TO_ECS_DEPLOY.configuration.safeParse({ ...base, Image2ArtifactName: 'Img' })),
    ).toEqual([
      'Image2ContainerName: is required with Image2ArtifactName: the placeholder <IMAGE2_NAME> it fills is named after it',
    ]);
    expect(
      problems(CODEDEPLOY_TO_ECS_DEPLOY.configuration.safeParse({ ...base, Image5ArtifactName: 'Img' })),
    ).toHaveLength(1);
  });

  it('StepFunctions: InputType Literal or FilePath, and FilePath needs Input', () => {
    const arn = 'arn:aws:states:eu-west-1:123456789012:stateMachine:m';
    expect(
      problems(
        STEP_FUNCTIONS_INVOKE.configuration.safeParse({
          StateMachineArn: arn,
          InputType: 'Literal',
          Input: '{}',
        }),
      ),
    ).toEqual([]);
    expect(
      problems(
        STEP_FUNCTIONS_INVOKE.configuration.safeParse({ StateMachineArn: arn, InputType: 'FilePath' }),
      ),
    ).toEqual([
      'Input: is required when InputType is FilePath: the path of the input file in the input artifact',
    ]);
    expect(
      problems(STEP_FUNCTIONS_INVOKE.configuration.safeParse({ StateMachineArn: arn, InputType: 'Json' })),
    ).toEqual(['InputType: must be one of Literal, FilePath']);
  });

  it('CodeDeploy and Elastic Beanstalk take exactly their two names', () => {
    expect(
      problems(CODEDEPLOY_DEPLOY.configuration.safeParse({ ApplicationName: 'a', DeploymentGroupName: 'g' })),
    ).toEqual([]);
    expect(
      problems(
        ELASTIC_BEANSTALK_DEPLOY.configuration.safeParse({
          ApplicationName: 'a',
          EnvironmentName: 'e',
          Extra: 'x',
        }),
      ),
    ).toHaveLength(1);
  });
});
