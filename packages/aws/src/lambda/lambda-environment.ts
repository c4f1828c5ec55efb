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
import { AwsAdapterError } from '../errors.ts';

/** The environment of the Pipewright functions. @example `lambdaEnvironment({ TABLE_NAME: 't', … })` */
export interface LambdaEnvironment {
  /** `TABLE_NAME`: the event table. */
  tableName: string;
  /** `STATE_MACHINE_ARNS`: JSON `{ pipeline: stateMachineArn }`. */
  stateMachineArns: Record<string, string>;
  /** `ARTIFACT_BUCKET`. */
  artifactBucket: string;
  /** `KMS_KEY_ARN`: the artifact key (SSE-KMS). */
  kmsKeyArn?: string;
  /** `TOPIC_ARNS`: JSON `{ pipeline: topicArn }` of approval / notification topics. */
  topicArns: Record<string, string>;
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
 * lambdaEnvironment({ TABLE_NAME: 'events' }); // throws PW6501 naming STATE_MACHINE_ARNS, …
 * ```
 */
export function lambdaEnvironment(env: Record<string, string | undefined>): LambdaEnvironment {
  const missing: string[] = [];
  const need = (name: string): string => {
    const value = env[name];
    if (value === undefined || value === '') missing.push(name);
    return value ?? '';
  };
  const map = (name: string): Record<string, string> => {
    const text = need(name);
    if (text === '') return {};
    try {
      const parsed = JSON.parse(text) as unknown;
      if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) {
        const entries = Object.entries(parsed as Record<string, unknown>);
        if (entries.every(([, v]) => typeof v === 'string'))
          return Object.fromEntries(entries) as Record<string, string>;
      }
    } catch {
      // reported below
    }
    throw new AwsAdapterError(
      'PW6501',
      `${name} must be a JSON object of pipeline name to ARN, e.g. {"web-app":"arn:aws:…"}; infra/ sets it — redeploy with sst deploy`,
      { path: [name] },
    );
  };
  const result: LambdaEnvironment = {
    tableName: need('TABLE_NAME'),
    stateMachineArns: map('STATE_MACHINE_ARNS'),
    artifactBucket: need('ARTIFACT_BUCKET'),
    topicArns: map('TOPIC_ARNS'),
    busName: need('BUS_NAME'),
    runnerProject: need('RUNNER_PROJECT'),
    approvalKeySecret: need('APPROVAL_KEY_SECRET'),
    apiTokenSecret: need('API_TOKEN_SECRET'),
    publicUrl: need('PUBLIC_URL'),
    pipelinesDir: env.PIPELINES_DIR ?? join(env.LAMBDA_TASK_ROOT ?? process.cwd(), 'pipelines'),
    region: env.AWS_REGION ?? 'us-east-1',
    account: env.AWS_ACCOUNT_ID ?? '000000000000',
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
