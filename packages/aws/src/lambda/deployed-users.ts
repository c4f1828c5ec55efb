/**
 * The users a deployment serves: `sst deploy` validates `pipelines/pipewright.users.yaml` (roles,
 * token hashes, approval rules, OpenID Connect) and copies it into the functions beside the
 * pipelines as {@link DEPLOYED_USERS_FILE}. Without it, the deployment's API token (in Secrets
 * Manager) is the only credential.
 *
 * @example
 * ```ts
 * const users = loadDeployedUsers(env.pipelinesDir, secrets.apiToken); // UserDirectory | undefined
 * ```
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkUsersFile, UserDirectory, WebError } from '@pipewright/web';
import { AwsAdapterError } from '../errors.ts';

/** The users file as infra copies it into the functions (JSON of the validated file). @example `'users.json'` */
export const DEPLOYED_USERS_FILE = 'users.json';

/**
 * Reads the deployed users, or `undefined` when the deployment has none. Throws PW6520 when the
 * file is not what infra writes.
 *
 * @example
 * ```ts
 * loadDeployedUsers('/var/task/pipelines', token)?.oidc?.issuer;
 * ```
 */
export function loadDeployedUsers(dir: string, serverToken: string): UserDirectory | undefined {
  const file = join(dir, DEPLOYED_USERS_FILE);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new AwsAdapterError('PW6520', `the deployed users file ${file} is not JSON; run sst deploy again`, {
      cause: e,
    });
  }
  try {
    return new UserDirectory(checkUsersFile(raw, file), serverToken);
  } catch (e) {
    if (!(e instanceof WebError)) throw e;
    throw new AwsAdapterError(
      'PW6520',
      `the deployed users file is not valid (${e.message}); fix pipelines/pipewright.users.yaml and run sst deploy again`,
      { cause: e },
    );
  }
}
