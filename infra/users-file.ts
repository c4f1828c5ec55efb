/**
 * The deployment's users: `pipelines/pipewright.users.yaml` (as `pipewright serve` reads it),
 * validated at deploy time and written beside `pipelines.json` for the HTTP function. A users
 * file whose OpenID Connect client needs a secret is refused: the deployed functions sign in
 * with a public client (PKCE) only, for now.
 */
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEPLOYED_USERS_FILE } from '@pipewright/aws';
import { parseUsersFile } from '@pipewright/web';

/** The users file's name in the pipelines directory. */
export const USERS_FILE = 'pipewright.users.yaml';

/**
 * Validates the users file of `pipelinesDir` (if any) and writes it to `deployedDir`; removes a
 * stale copy when there is none. Throws with every problem when it is not valid.
 *
 * @example
 * ```ts
 * deployUsersFile(join(root, 'pipelines'), join(root, '.sst/pipewright/pipelines'));
 * ```
 */
export function deployUsersFile(pipelinesDir: string, deployedDir: string): void {
  const source = join(pipelinesDir, USERS_FILE);
  const target = join(deployedDir, DEPLOYED_USERS_FILE);
  if (!existsSync(source)) {
    rmSync(target, { force: true });
    return;
  }
  const file = parseUsersFile(readFileSync(source, 'utf8'), `pipelines/${USERS_FILE}`);
  if (file.oidc?.clientSecretEnv !== undefined) {
    throw new Error(
      `pipelines/${USERS_FILE}: oidc.clientSecretEnv: the deployed functions sign in with a public OpenID Connect client (PKCE); register a public client (no secret) and remove clientSecretEnv`,
    );
  }
  writeFileSync(target, `${JSON.stringify(file, null, 2)}\n`);
}
