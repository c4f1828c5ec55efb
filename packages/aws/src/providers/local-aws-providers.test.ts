import { AWS_ONLY_PROVIDERS } from '@pipewright/providers';
import { describe, expect, it } from 'vitest';
import { localAwsProviders } from './local-aws-providers.ts';

describe('localAwsProviders', () => {
  it('carries out the AWS sources, deploys and Step Functions invocations from this machine', () => {
    // Act
    const providers = localAwsProviders({ region: 'eu-west-1' });
    // Assess
    const names = providers.flatMap((p) => p.categories.map((c) => `${c}/${p.provider}`));
    expect(names).toEqual([
      'Source/S3',
      'Source/ECR',
      'Deploy/CloudFormation',
      'Deploy/ECS',
      'Deploy/CodeDeployToECS',
      'Deploy/CodeDeploy',
      'Deploy/ElasticBeanstalk',
      'Invoke/StepFunctions',
    ]);
    const awsOnly = new Set(AWS_ONLY_PROVIDERS.map((p) => `${p.category}/${p.provider}`));
    for (const name of names) expect(awsOnly.has(name), name).toBe(true);
  });

  it('lets a stop cancel what the deploys started (their providers have cancel)', () => {
    const providers = localAwsProviders({ region: 'eu-west-1' });
    const cancels = providers.filter((p) => p.cancel !== undefined).map((p) => p.provider);
    expect(cancels).toEqual([
      'CloudFormation',
      'CodeDeployToECS',
      'CodeDeploy',
      'ElasticBeanstalk',
      'StepFunctions',
    ]);
  });
});
