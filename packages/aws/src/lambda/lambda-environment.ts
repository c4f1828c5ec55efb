/**
 * What a Pipewright Lambda reads from its environment (set by `infra/`): the table, the state
 * machines, the bucket, the topics, the bus, the runner project, where secrets live. A missing
 * or malformed variable stops the cold start with an error naming it and what to set.
 *
 * @example
 * ```ts
 * const env = lambdaEnvironment(process.env);
 * env.tableName; // 'pipewright-production-events'
 * ```
 */
import { join } from 'node:path';
import { type DeploymentSite, pipelineResourceNames } from '@pipewright/core/deploy';
import { AwsAdapterError } from '../errors.ts';

/** The environment of the Pipewright functions. @example `lambdaEnvironment({ TABLE_NAME: 't', … })` */
export interface LambdaEnvironment {
  /** `TABLE_NAME`: the event table. */
  tableName: string;
  /**
   * Where the app is deployed (`PIPEWRIGHT_APP`, `PIPEWRIGHT_STAGE`, `AWS_REGION`,
   * `AWS_ACCOUNT_ID`, `AWS_PARTITION`): every pipeline's state machine and topic ARN is derived
   * from it ({@link stateMachineArnOf}, {@link topicArnOf}), so the environment lists no pipeline.
   */
  site: DeploymentSite;
  /** `ARTIFACT_BUCKET`. */
  artifactBucket: string;
  /** `KMS_KEY_ARN`: the artifact key (SSE-KMS). */
  kmsKeyArn?: string;
  /** `BUS_NAME`: where state-change events and webhook deliveries go. */
  busName: string;
  /** `RUNNER_PROJECT`: the CodeBuild project Source/Commands/CodeBuild actions run in. */
  runnerProject: string;
  /** `APPROVAL_KEY_SECRET`: Secrets Manager secret holding the approval-link HMAC key (base64). */
  approvalKeySecret: string;
  /** `API_TOKEN_SECRET`: Secrets Manager secret holding the API's Bearer token. */
  apiTokenSecret: string;
  /** `WEBHOOK_SECRET_SECRET`: Secrets Manager secret holding the GitHub webhook secret (optional). */
  webhookSecretSecret?: string;
  /** `PUBLIC_URL`: the HTTP function's URL (approval links point there). */
  publicUrl: string;
  /** `PIPELINES_DIR`: where infra put `pipelines.json` in the function (default `<task root>/pipelines`). */
  pipelinesDir: string;
  /** `AWS_REGION` and the account (`AWS_ACCOUNT_ID`), for state-change events. */
  region: string;
  account: string;
}

/**
 * Reads and checks the environment.
 *
 * @example
 * ```ts
 * lambdaEnvironment({ TABLE_NAME: 'events' }); // throws PW6501 naming PIPEWRIGHT_APP, …
 * ```
 */
export function lambdaEnvironment(env: Record<string, string | undefined>): LambdaEnvironment {
  const missing: string[] = [];
  const need = (name: string): string => {
    const value = env[name];
    if (value === undefined || value === '') missing.push(name);
    return value ?? '';
  };
  const region = env.AWS_REGION ?? 'us-east-1';
  const account = env.AWS_ACCOUNT_ID ?? '000000000000';
  const result: LambdaEnvironment = {
    site: {
      app: need('PIPEWRIGHT_APP'),
      stage: need('PIPEWRIGHT_STAGE'),
      region,
      accountId: account,
      partition: env.AWS_PARTITION || 'aws',
    },
    tableName: need('TABLE_NAME'),
    artifactBucket: need('ARTIFACT_BUCKET'),
    busName: need('BUS_NAME'),
    runnerProject: need('RUNNER_PROJECT'),
    approvalKeySecret: need('APPROVAL_KEY_SECRET'),
    apiTokenSecret: need('API_TOKEN_SECRET'),
    publicUrl: need('PUBLIC_URL'),
    pipelinesDir: env.PIPELINES_DIR ?? join(env.LAMBDA_TASK_ROOT ?? process.cwd(), 'pipelines'),
    region,
    account,
    ...(env.KMS_KEY_ARN ? { kmsKeyArn: env.KMS_KEY_ARN } : {}),
    ...(env.WEBHOOK_SECRET_SECRET ? { webhookSecretSecret: env.WEBHOOK_SECRET_SECRET } : {}),
  };
  if (missing.length > 0)
    throw new AwsAdapterError(
      'PW6501',
      `the function's environment lacks ${missing.join(', ')}; infra/ sets them — redeploy with sst deploy (or set them when invoking a handler yourself)`,
      { path: missing },
    );
  return result;
}

/**
 * The ARN of `pipeline`'s state machine in the deployment `env` describes (the name `sst
 * deploy` gave it, derived the same way).
 *
 * @example
 * ```ts
 * stateMachineArnOf(env, 'web-app'); // 'arn:aws:states:eu-west-1:123456789012:stateMachine:pipewright-prod-web-app'
 * ```
 */
export function stateMachineArnOf(env: Pick<LambdaEnvironment, 'site'>, pipeline: string): string {
  return pipelineResourceNames(env.site, pipeline).stateMachine.arn;
}

/**
 * The ARN of `pipeline`'s notification topic (approval emails) in the deployment `env` describes.
 *
 * @example
 * ```ts
 * topicArnOf(env, 'web-app'); // 'arn:aws:sns:eu-west-1:123456789012:pipewright-prod-web-app-notifications'
 * ```
 */
export function topicArnOf(env: Pick<LambdaEnvironment, 'site'>, pipeline: string): string {
  return pipelineResourceNames(env.site, pipeline).topic.arn;
}
