import { describe, expect, it } from 'vitest';
import { action, NAMES, pipeline } from './deploy.test-helper.ts';
import { providerGrants } from './provider-grants.ts';

describe('providerGrants', () => {
  it('turns #{…} variables into IAM wildcards, and grants nothing for a value that is only one', () => {
    // Prepare
    const p = pipeline('p', [
      {
        name: 'Deploy',
        actions: [
          action('Site', 'Deploy', 'S3', {
            BucketName: 'site-#{variables.env}',
            Extract: 'false',
            ObjectKey: 'v/#{SourceVariables.CommitId}.zip',
          }),
          action('Any', 'Invoke', 'Lambda', { FunctionName: '#{variables.fn}' }),
          action('Assume', 'Invoke', 'Lambda', { FunctionName: 'notify' }, { roleArn: '#{variables.role}' }),
        ],
      },
    ]);
    // Act
    const g = providerGrants([p], NAMES, 'actions');
    // Assess
    expect([...g.deployObjects]).toEqual(['arn:aws:s3:::site-*/v/*.zip']);
    expect([...g.functions]).toEqual(['arn:aws:lambda:eu-west-1:123456789012:function:notify']);
    expect([...g.actionRoles]).toEqual([]);
    expect(g.wildcards.map((w) => [w.field, w.iamActions])).toEqual([
      ['FunctionName', ['lambda:InvokeFunction']],
      ['roleArn', ['sts:AssumeRole']],
    ]);
    expect(g.wildcards[1]?.message).toBe(
      'p: stage "Deploy" action "Assume": roleArn "#{variables.role}" is only a variable, so sts:AssumeRole would be granted on every resource ("*"); write a literal value, or state what it may be on the action: resourcePatterns: { roleArn: "<pattern, e.g. arn:aws:iam::111122223333:role/deploy-*>" }',
    );
  });

  it('grants the resource pattern an action states for a field that is only a variable', () => {
    // Prepare
    const stated = { roleArn: 'arn:aws:iam::111122223333:role/deploy-*', FunctionName: 'release-*' };
    const p = pipeline('p', [
      {
        name: 'Deploy',
        actions: [
          action(
            'Any',
            'Invoke',
            'Lambda',
            { FunctionName: '#{variables.fn}' },
            { roleArn: '#{variables.role}', resourcePatterns: stated },
          ),
        ],
      },
    ]);
    // Act
    const g = providerGrants([p], NAMES, 'actions');
    // Assess
    expect(g.wildcards).toEqual([]);
    expect([...g.actionRoles]).toEqual(['arn:aws:iam::111122223333:role/deploy-*']);
    expect([...g.functions]).toEqual(['arn:aws:lambda:eu-west-1:123456789012:function:release-*']);
  });

  it('grants nothing for unresolved CloudFormation values and local-only configuration, and says why', () => {
    const p = pipeline('p', [
      {
        name: 'Source',
        actions: [action('Checkout', 'Source', 'Git', { RepositoryUrl: './repo', BranchName: 'main' })],
      },
      {
        name: 'Deploy',
        actions: [
          action('Dir', 'Deploy', 'S3', { BucketName: './deployed/#{variables.env}', Extract: 'true' }),
          action('Module', 'Invoke', 'Lambda', { FunctionName: './handlers/notify.ts' }),
          action('Stack', 'Deploy', 'CloudFormation', {
            ActionMode: 'DELETE_ONLY',
            StackName: '!Ref StackName',
          }),
        ],
      },
    ]);
    const g = providerGrants([p], NAMES, 'actions');
    expect(g.deployObjects.size + g.functions.size + g.stacks.size).toBe(0);
    expect(g.usesRunner).toBe(true);
    expect(g.warnings).toEqual([
      'p: stage "Source" action "Checkout": RepositoryUrl "./repo" is a local path; in AWS the runner project clones over the network — use an https:// or ssh URL',
      'p: stage "Deploy" action "Dir": BucketName "./deployed/#{variables.env}" is not an S3 bucket name (a local directory?); it deploys only locally — in AWS name a bucket',
      'p: stage "Deploy" action "Module": FunctionName "./handlers/notify.ts" is not a Lambda function name or ARN (a local module?); it runs only locally — in AWS name a function',
      'p: stage "Deploy" action "Stack": StackName "!Ref StackName" is an unresolved CloudFormation value; no permission is granted for it — write the literal value',
      'p: stage "Deploy" action "Stack": no RoleArn, so CloudFormation acts with the action runner\'s own role, which may not create the stack\'s resources; set RoleArn to a role CloudFormation can assume',
    ]);
  });

  it('accepts remote git URLs without a warning and reads CodeStar connections', () => {
    const p = pipeline('p', [
      {
        name: 'Source',
        actions: [
          action('A', 'Source', 'Git', {
            RepositoryUrl: 'https://github.com/acme/web.git',
            BranchName: 'main',
          }),
          action('B', 'Source', 'Git', { RepositoryUrl: 'git@github.com:acme/api.git', BranchName: 'main' }),
          action('C', 'Source', 'CodeStarSourceConnection', {
            ConnectionArn: 'arn:aws:codeconnections:eu-west-1:123456789012:connection/abc',
            FullRepositoryId: 'acme/web',
            BranchName: 'main',
          }),
        ],
      },
    ]);
    const g = providerGrants([p], NAMES, 'actions');
    expect(g.warnings).toEqual([]);
    expect([...g.connections]).toEqual(['arn:aws:codeconnections:eu-west-1:123456789012:connection/abc']);
    expect(g.usesRunner).toBe(true);
  });

  it('keeps the ARN of a Secrets Manager variable given as ARN with a JSON key', () => {
    const p = pipeline('p', [
      {
        name: 'Build',
        actions: [
          action(
            'B',
            'Build',
            'Commands',
            {},
            {
              commands: ['x'],
              environmentVariables: [
                {
                  name: 'K',
                  value: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:npm-AbCdEf:token::',
                  type: 'SECRETS_MANAGER',
                },
              ],
            },
          ),
        ],
      },
    ]);
    expect([...providerGrants([p], NAMES, 'actions').secrets]).toEqual([
      'arn:aws:secretsmanager:eu-west-1:123456789012:secret:npm-AbCdEf*',
    ]);
  });
});
