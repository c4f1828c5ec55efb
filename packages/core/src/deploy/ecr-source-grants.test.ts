import { describe, expect, it } from 'vitest';
import { action, NAMES, pipeline } from './deploy.test-helper.ts';
import { actionRunnerPolicy } from './function-policies.ts';
import { providerGrants } from './provider-grants.ts';

describe('ECR and S3 source grants', () => {
  const p = pipeline('images', [
    {
      name: 'Source',
      actions: [
        action('Image', 'Source', 'ECR', { RepositoryName: 'team/web' }),
        action('Shared', 'Source', 'ECR', {
          RepositoryName: 'arn:aws:ecr:us-east-1:210987654321:repository/base',
        }),
        action('Other', 'Source', 'ECR', { RepositoryName: 'web' }, { region: 'us-west-2' }),
        action('Bundle', 'Source', 'S3', { S3Bucket: 'acme-releases', S3ObjectKey: 'web/app.zip' }),
      ],
    },
  ]);

  it('lets the action runner describe exactly the repositories ECR sources name, in their region', () => {
    expect([...providerGrants([p], NAMES, 'actions').ecrRepositories]).toEqual([
      'arn:aws:ecr:eu-west-1:123456789012:repository/team/web',
      'arn:aws:ecr:us-east-1:210987654321:repository/base',
      'arn:aws:ecr:us-west-2:123456789012:repository/web',
    ]);
    const statements = actionRunnerPolicy([p], NAMES);
    expect(statements.find((s) => s.Sid === 'DescribeImages')).toMatchObject({
      Action: ['ecr:DescribeImages'],
      Resource: [
        'arn:aws:ecr:eu-west-1:123456789012:repository/team/web',
        'arn:aws:ecr:us-east-1:210987654321:repository/base',
        'arn:aws:ecr:us-west-2:123456789012:repository/web',
      ],
    });
    expect(statements.find((s) => s.Sid === 'SourceObjects')).toMatchObject({
      Action: ['s3:GetObject', 's3:GetObjectVersion'],
      Resource: ['arn:aws:s3:::acme-releases/web/app.zip'],
    });
  });
});
