/**
 * The secret a pipeline's webhook is signed with (`X-Hub-Signature-256`): from
 * `pipewright.local.yaml` (`webhooks: { <pipeline>: { secretEnv | secret } }`), else one made on
 * first use and kept in `<state-dir>/webhook-secret-<pipeline>` (mode 0600) for the operator to
 * paste into the repository's webhook settings.
 */
import { join } from 'node:path';
import { LocalSettingsError } from '../errors.ts';
import { secretFile } from '../secret-file.ts';
import type { WebhookSetting } from '../settings/schema.ts';

/**
 * The file a pipeline's generated webhook secret is kept in.
 *
 * @example
 * ```ts
 * webhookSecretFile('.pipewright', 'web-app'); // '.pipewright/webhook-secret-web-app'
 * ```
 */
export function webhookSecretFile(stateDir: string, pipeline: string): string {
  if (!/^[A-Za-z0-9.@_-]+$/.test(pipeline) || pipeline.startsWith('.')) {
    throw new TypeError(`"${pipeline}" is not a pipeline name; names use A-Z a-z 0-9 . @ _ -`);
  }
  return join(stateDir, `webhook-secret-${pipeline}`);
}

/**
 * The webhook secret of `pipeline`.
 *
 * @throws {LocalSettingsError} when the setting names an environment variable that is not set.
 * @example
 * ```ts
 * webhookSecret('.pipewright', 'web-app', settings.webhooks?.['web-app']);
 * ```
 */
export function webhookSecret(
  stateDir: string,
  pipeline: string,
  setting?: WebhookSetting,
  env: Readonly<Record<string, string | undefined>> = process.env,
): string {
  if (setting?.secret !== undefined) return setting.secret;
  if (setting?.secretEnv !== undefined) {
    const value = env[setting.secretEnv]?.trim() ?? '';
    if (value === '') {
      throw new LocalSettingsError(
        `webhooks.${pipeline}.secretEnv: the environment variable ${setting.secretEnv} is not set; set it to the secret of the repository's webhook`,
      );
    }
    return value;
  }
  return secretFile(webhookSecretFile(stateDir, pipeline), 32);
}
