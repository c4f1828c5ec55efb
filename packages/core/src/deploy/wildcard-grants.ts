/**
 * Grants that would cover every resource because a configuration field is only a variable
 * (`RoleArn: "#{variables.role}"` → `sts:AssumeRole` on `*`). They fail `pipewright plan` and
 * `sst deploy` (`PW1121`) unless the action states the resources the variable may stand for in
 * its `resourcePatterns` (docs/pipeline-format.md, "Resource patterns").
 */

/** A field given only as a variable, with no `resourcePatterns` entry. @example `{ pipeline: 'p', field: 'roleArn', iamActions: ['sts:AssumeRole'], message: '…' }` */
export interface WildcardGrant {
  pipeline: string;
  /** Where, as messages say it: `p: stage "Deploy" action "Any"`. */
  where: string;
  field: string;
  value: string;
  /** The IAM actions the grant would allow on `*`. */
  iamActions: string[];
  message: string;
}

/** The IAM actions granted on the resource each configuration field names. */
const FIELD_ACTIONS: Record<string, string[]> = {
  roleArn: ['sts:AssumeRole'],
  ProjectName: ['codebuild:StartBuild', 'codebuild:BatchGetBuilds', 'codebuild:StopBuild'],
  FunctionName: ['lambda:InvokeFunction'],
  StackName: ['cloudformation:CreateStack', 'cloudformation:UpdateStack', 'cloudformation:DeleteStack'],
  RoleArn: ['iam:PassRole'],
  BucketName: ['s3:PutObject'],
  ObjectKey: ['s3:PutObject'],
  KMSEncryptionKeyARN: ['kms:GenerateDataKey', 'kms:Decrypt'],
  S3Bucket: ['s3:GetObject', 's3:GetObjectVersion'],
  S3ObjectKey: ['s3:GetObject', 's3:GetObjectVersion'],
  NotificationArn: ['sns:Publish'],
  RepositoryName: ['codecommit:GitPull'],
  ConnectionArn: ['codestar-connections:UseConnection'],
  OAuthToken: ['secretsmanager:GetSecretValue'],
  AlarmName: ['cloudwatch:DescribeAlarms'],
};

/**
 * The IAM actions a grant for `field` allows (environment variables resolve secrets or parameters).
 *
 * @example
 * ```ts
 * iamActionsOf('roleArn'); // ['sts:AssumeRole']
 * ```
 */
export function iamActionsOf(field: string): string[] {
  if (field.startsWith('environment variable '))
    return ['secretsmanager:GetSecretValue', 'ssm:GetParameters'];
  return FIELD_ACTIONS[field] ?? ['(the provider’s actions)'];
}

/**
 * The problem of `field` (in the action at `where`) being only a variable.
 *
 * @example
 * ```ts
 * wildcardGrant('p', 'p: stage "Deploy" action "Any"', 'roleArn', '#{variables.role}').message;
 * // 'p: stage "Deploy" action "Any": roleArn "#{variables.role}" is only a variable, so sts:AssumeRole would be granted on every resource ("*"); …'
 * ```
 */
export function wildcardGrant(pipeline: string, where: string, field: string, value: string): WildcardGrant {
  const iamActions = iamActionsOf(field);
  const key = /^[A-Za-z]+$/.test(field) ? field : JSON.stringify(field);
  return {
    pipeline,
    where,
    field,
    value,
    iamActions,
    message: `${where}: ${field} "${value}" is only a variable, so ${iamActions.join(', ')} would be granted on every resource ("*"); write a literal value, or state what it may be on the action: resourcePatterns: { ${key}: "<pattern, e.g. arn:aws:iam::111122223333:role/deploy-*>" }`,
  };
}
