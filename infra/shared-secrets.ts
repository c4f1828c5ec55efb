/**
 * The deployment's Secrets Manager secrets: the approval-link key, the API token and the
 * webhook secret. Their values are set on the first deploy and kept after (later deploys
 * ignore changes to them).
 */
import type * as aws from '@pulumi/aws';
import type { Platform } from './platform.ts';
import type { Plan } from './shared-resources.ts';

/** Values of the deployment's secrets (Secrets Manager), set on the first deploy and kept after. @example `{ approvalKey: randomBytes(32).toString('base64'), apiToken, webhookSecret }` */
export interface SharedSecrets {
  /** The approval-link HMAC key (base64). */
  approvalKey: string;
  /** The API's Bearer token. */
  apiToken: string;
  /** The GitHub webhook secret. */
  webhookSecret: string;
}

/**
 * Declares the secrets of `plan` with their first values.
 *
 * @example
 * ```ts
 * const { secrets, secretValues } = sharedSecrets(platform, plan, { retain: true, secrets: values });
 * ```
 */
export function sharedSecrets(
  platform: Platform,
  plan: Plan,
  options: { retain: boolean; secrets: SharedSecrets },
): {
  secrets: Record<keyof SharedSecrets, aws.secretsmanager.Secret>;
  secretValues: aws.secretsmanager.SecretVersion[];
} {
  const { aws, pulumi } = platform;
  const secretValues: aws.secretsmanager.SecretVersion[] = [];
  const parameter = (logical: string, name: string, value: string, description: string) => {
    const secret = new aws.secretsmanager.Secret(logical, {
      name,
      description,
      recoveryWindowInDays: options.retain ? 30 : 0,
    });
    secretValues.push(
      new aws.secretsmanager.SecretVersion(
        `${logical}Value`,
        { secretId: secret.id, secretString: pulumi.secret(value) },
        { ignoreChanges: ['secretString'] },
      ),
    );
    return secret;
  };
  const secrets = {
    approvalKey: parameter(
      'ApprovalKeySecret',
      plan.secrets.approvalKey.name,
      options.secrets.approvalKey,
      'Pipewright: HMAC key of the signed approval links (base64)',
    ),
    apiToken: parameter(
      'ApiTokenSecret',
      plan.secrets.apiToken.name,
      options.secrets.apiToken,
      "Pipewright: the API's Bearer token",
    ),
    webhookSecret: parameter(
      'WebhookSecretSecret',
      plan.secrets.webhookSecret.name,
      options.secrets.webhookSecret,
      'Pipewright: the secret GitHub webhooks are signed with',
    ),
  };
  return { secrets, secretValues };
}
