/**
 * IAM policy statements as plain data, in the JSON shape IAM reads. `K` is the type of the one
 * ARN that is not a string before deploy (the artifact key's; see `DeploymentNames`).
 */

/**
 * One `Allow` statement of an identity policy.
 *
 * @example
 * ```ts
 * const s: PolicyStatement = { Sid: 'InvokeFunctions', Effect: 'Allow', Action: ['lambda:InvokeFunction'], Resource: [runnerArn, gateArn] };
 * ```
 */
export interface PolicyStatement<K = string> {
  /** Alphanumeric, unique within the policy. */
  Sid: string;
  Effect: 'Allow';
  Action: string[];
  Resource: Array<string | K>;
  /** e.g. `{ StringEquals: { 'iam:PassedToService': 'cloudformation.amazonaws.com' } }`. */
  Condition?: Record<string, Record<string, string | string[]>>;
}

/**
 * A policy document (`Version` 2012-10-17) of statements, to `JSON.stringify` (or
 * `pulumi.jsonStringify` when a resource is an output).
 *
 * @example
 * ```ts
 * JSON.stringify(policyDocument(pipelinePolicy(pipeline, names)));
 * ```
 */
export function policyDocument<K>(statements: PolicyStatement<K>[]): {
  Version: '2012-10-17';
  Statement: PolicyStatement<K>[];
} {
  return { Version: '2012-10-17', Statement: statements };
}

/**
 * The trust policy letting an AWS service assume a role, only on behalf of `accountId`
 * (`aws:SourceAccount`, against the confused-deputy problem).
 *
 * @example
 * ```ts
 * trustPolicy('states.amazonaws.com', '123456789012').Statement[0].Principal; // { Service: 'states.amazonaws.com' }
 * ```
 */
export function trustPolicy(
  service: string,
  accountId: string,
): {
  Version: '2012-10-17';
  Statement: {
    Effect: 'Allow';
    Principal: { Service: string };
    Action: 'sts:AssumeRole';
    Condition: { StringEquals: { 'aws:SourceAccount': string } };
  }[];
} {
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: { Service: service },
        Action: 'sts:AssumeRole',
        Condition: { StringEquals: { 'aws:SourceAccount': accountId } },
      },
    ],
  };
}

/**
 * A statement, or nothing when it would grant nothing (no resources): IAM rejects an empty
 * `Resource`. Resources are deduplicated (strings by value, others by identity) in order.
 *
 * @example
 * ```ts
 * allowStatement('Invoke', ['lambda:InvokeFunction'], []); // []
 * ```
 */
export function allowStatement<K>(
  sid: string,
  actions: string[],
  resources: Array<string | K>,
  condition?: PolicyStatement<K>['Condition'],
): PolicyStatement<K>[] {
  const unique = [...new Set(resources)];
  if (unique.length === 0) return [];
  return [
    {
      Sid: sid,
      Effect: 'Allow',
      Action: actions,
      Resource: unique,
      ...(condition === undefined ? {} : { Condition: condition }),
    },
  ];
}
