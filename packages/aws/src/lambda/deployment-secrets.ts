/**
 * The deployment's own secrets — the approval-link key, the API token, the webhook secret — kept
 * in Secrets Manager (infra creates them with random values) and read once per cold start. Only
 * the Secrets Manager client is bundled: SSM's client alone would add 200 KB to a function.
 *
 * @example
 * ```ts
 * const secrets = await deploymentSecrets(new SecretsManagerClient({}), env);
 * secrets.approvalKey.length; // 32
 * ```
 */
import { GetSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { AwsAdapterError } from '../errors.ts';
import type { LambdaEnvironment } from './lambda-environment.ts';

/** The secrets the HTTP and projector functions need. @example `{ approvalKey: key, apiToken: 'tok', webhookSecret: 'whs' }` */
export interface DeploymentSecrets {
  approvalKey: Uint8Array;
  apiToken: string;
  webhookSecret?: string;
}

/**
 * Reads the secrets named by the environment.
 *
 * @example
 * ```ts
 * await deploymentSecrets(client, { approvalKeySecret: 'pw-prod-approval-key', apiTokenSecret: 'pw-prod-api-token' });
 * ```
 */
export async function deploymentSecrets(
  client: SecretsManagerClient,
  env: Pick<LambdaEnvironment, 'approvalKeySecret' | 'apiTokenSecret' | 'webhookSecretSecret'>,
): Promise<DeploymentSecrets> {
  const read = async (id: string): Promise<string> => {
    try {
      const out = await client.send(new GetSecretValueCommand({ SecretId: id }));
      if (typeof out.SecretString === 'string' && out.SecretString !== '') return out.SecretString;
    } catch (e) {
      throw new AwsAdapterError(
        'PW6313',
        `cannot read secret ${id}: ${(e as Error).name}; check that it exists and the function's role may read it (sst deploy creates both)`,
        { cause: e, retryable: (e as Error).name === 'ThrottlingException' },
      );
    }
    throw new AwsAdapterError(
      'PW6311',
      `secret ${id} has no string value; sst deploy sets it — deploy again`,
    );
  };
  const key = Buffer.from(await read(env.approvalKeySecret), 'base64');
  if (key.length < 32)
    throw new AwsAdapterError(
      'PW6312',
      `secret ${env.approvalKeySecret} must hold at least 32 random bytes, base64-encoded; sst deploy makes one`,
    );
  return {
    approvalKey: key,
    apiToken: await read(env.apiTokenSecret),
    ...(env.webhookSecretSecret === undefined ? {} : { webhookSecret: await read(env.webhookSecretSecret) }),
  };
}
