import { describe, expect, it } from 'vitest';
import { CLOUDFORMATION_DEPLOY } from './cloudformation-deploy.ts';
import { codeBuildSpec } from './codebuild.ts';
import { CODECOMMIT_SOURCE } from './codecommit-source.ts';
import { commandsSpec } from './commands.ts';
import { CONNECTION_SOURCE } from './connection-source.ts';
import { ECR_SOURCE } from './ecr-source.ts';
import { GIT_SOURCE } from './git-source.ts';
import { MANUAL_APPROVAL } from './manual-approval.ts';
import type { ProviderSpec } from './provider-spec.ts';
import { S3_DEPLOY } from './s3-deploy.ts';
import { S3_SOURCE } from './s3-source.ts';

function issues(spec: ProviderSpec, config: Record<string, string>): string[] {
  const r = spec.configuration.safeParse(config);
  return r.success ? [] : r.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
}

describe('provider configuration schemas', () => {
  it('Git: needs RepositoryUrl and BranchName; CommitId is a hash', () => {
    expect(issues(GIT_SOURCE, { RepositoryUrl: '../app', BranchName: 'main', CommitId: 'abc1234' })).toEqual(
      [],
    );
    expect(issues(GIT_SOURCE, { RepositoryUrl: '.', BranchName: 'main', CommitId: 'HEAD~1' })).toEqual([
      'CommitId: must be a commit hash (4–40 hex digits)',
    ]);
    expect(issues(GIT_SOURCE, {})).toHaveLength(2);
  });

  it('CodeCommit: booleans are "true"/"false" strings', () => {
    expect(
      issues(CODECOMMIT_SOURCE, { RepositoryName: 'a', BranchName: 'b', PollForSourceChanges: 'false' }),
    ).toEqual([]);
    expect(
      issues(CODECOMMIT_SOURCE, { RepositoryName: 'a', BranchName: 'b', PollForSourceChanges: 'no' }),
    ).toEqual(['PollForSourceChanges: must be "true" or "false"']);
  });

  it('CodeStarSourceConnection: checks the connection ARN and owner/repo', () => {
    expect(
      issues(CONNECTION_SOURCE, {
        ConnectionArn: 'arn:aws:codestar-connections:us-east-1:1:connection/x',
        FullRepositoryId: 'o/r',
        BranchName: 'm',
      }),
    ).toEqual([]);
    expect(
      issues(CONNECTION_SOURCE, { ConnectionArn: 'abc', FullRepositoryId: 'repo', BranchName: 'm' }),
    ).toHaveLength(2);
  });

  it('Commands: takes no configuration keys', () => {
    expect(issues(commandsSpec('Compute'), { Foo: 'x' })).toEqual(['(root): Unrecognized key: "Foo"']);
  });

  it('CodeBuild: EnvironmentVariables is a JSON array of name/value/type', () => {
    const spec = codeBuildSpec('Test');
    expect(
      issues(spec, {
        ProjectName: 'p',
        EnvironmentVariables: '[{"name":"A","value":"b","type":"PARAMETER_STORE"}]',
      }),
    ).toEqual([]);
    expect(issues(spec, { ProjectName: 'p', EnvironmentVariables: '{"A":"b"}' })).toEqual([
      'EnvironmentVariables: must be a JSON array of {"name", "value", "type"?} objects with string names and values',
    ]);
    expect(issues(spec, { ProjectName: 'p', EnvironmentVariables: 'nope' })).toEqual([
      'EnvironmentVariables: must be an array of {"name", "value", "type"?} objects written as JSON',
    ]);
  });

  it('Manual: NotificationArn is an SNS topic ARN', () => {
    expect(
      issues(MANUAL_APPROVAL, { NotificationArn: 'arn:aws:sns:us-east-1:123456789012:approvals' }),
    ).toEqual([]);
    expect(issues(MANUAL_APPROVAL, { NotificationArn: 'approvals' })).toHaveLength(1);
  });

  it('S3 deploy: ObjectKey is required when Extract is false', () => {
    expect(
      issues(S3_DEPLOY, { BucketName: 'b', Extract: 'FALSE', ObjectKey: 'site.zip', CannedACL: 'private' }),
    ).toEqual([]);
    expect(issues(S3_DEPLOY, { BucketName: 'b', Extract: 'false' })).toEqual([
      'ObjectKey: is required when Extract is "false"; name the object to write, or set Extract to "true"',
    ]);
  });

  it('CloudFormation: requirements depend on ActionMode', () => {
    expect(
      issues(CLOUDFORMATION_DEPLOY, { ActionMode: 'CHANGE_SET_EXECUTE', StackName: 's', ChangeSetName: 'c' }),
    ).toEqual([]);
    expect(issues(CLOUDFORMATION_DEPLOY, { ActionMode: 'CREATE_UPDATE', StackName: 's' })).toEqual([
      'TemplatePath: is required when ActionMode is CREATE_UPDATE; name the template as "ArtifactName::path/template.yaml"',
    ]);
    expect(
      issues(CLOUDFORMATION_DEPLOY, { ActionMode: 'UPSERT', StackName: 's', ParameterOverrides: '[1]' }),
    ).toEqual([
      'ActionMode: must be one of CHANGE_SET_EXECUTE, CHANGE_SET_REPLACE, CREATE_UPDATE, DELETE_ONLY, REPLACE_ON_FAILURE',
      'ParameterOverrides: must be a JSON object of parameter names to values',
    ]);
  });

  it('ECR: needs a repository name; the tag is optional and must be a tag', () => {
    expect(issues(ECR_SOURCE, { RepositoryName: 'team/web-app', ImageTag: 'v1.2.3' })).toEqual([]);
    expect(issues(ECR_SOURCE, { RepositoryName: 'web' })).toEqual([]);
    expect(issues(ECR_SOURCE, { RepositoryName: '#{variables.repo}', ImageTag: '#{variables.tag}' })).toEqual(
      [],
    );
    expect(issues(ECR_SOURCE, { RepositoryName: 'Web App', ImageTag: ':latest' })).toEqual([
      'RepositoryName: must be an ECR repository name (lowercase letters, digits, . _ - and /), e.g. team/web',
      'ImageTag: must be an image tag (letters, digits, _ . -; at most 128), e.g. latest',
    ]);
    expect(issues(ECR_SOURCE, {})).toEqual([expect.stringMatching(/^RepositoryName: /)]);
    expect(issues(ECR_SOURCE, { RepositoryName: 'web', Tag: 'x' })).toHaveLength(1);
  });

  it('S3 source: needs the bucket and key; PollForSourceChanges is a boolean', () => {
    expect(
      issues(S3_SOURCE, { S3Bucket: 'releases', S3ObjectKey: 'app.zip', PollForSourceChanges: 'false' }),
    ).toEqual([]);
    expect(issues(S3_SOURCE, { S3Bucket: 'releases' })).toEqual([expect.stringMatching(/^S3ObjectKey: /)]);
  });
});
