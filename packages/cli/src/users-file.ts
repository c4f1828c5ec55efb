/**
 * The users file `serve` reads beside the pipelines (`<dir>/pipewright.users.yaml`): users,
 * roles, hashed per-user tokens, approval rules, OpenID Connect. Absent: the server's own token
 * is the only credential.
 *
 * @example
 * ```ts
 * const users = readUserDirectory('pipelines', serverToken); // UserDirectory | undefined
 * ```
 */
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseUsersFile, UserDirectory, type UsersFile, WebError } from '@pipewright/web';
import { UsageError } from './errors.ts';

/** The users file's name in a pipelines directory. @example `'pipewright.users.yaml'` */
export const USERS_FILE = 'pipewright.users.yaml';

const MAX_BYTES = 1024 * 1024;

/**
 * The users file of `dir`, parsed, or `undefined` when there is none. Throws `UsageError`
 * with every problem when it is not valid.
 *
 * @example
 * ```ts
 * readUsersFile('pipelines')?.users.length;
 * ```
 */
export function readUsersFile(dir: string): UsersFile | undefined {
  const file = join(dir, USERS_FILE);
  let text: string;
  try {
    const stat = statSync(file);
    if (!stat.isFile()) throw new UsageError(`${USERS_FILE} in ${dir} is not a regular file`);
    if (stat.size > MAX_BYTES)
      throw new UsageError(`${USERS_FILE} is ${stat.size} bytes; the limit is 1 MiB`);
    text = readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
  try {
    return parseUsersFile(text, USERS_FILE);
  } catch (e) {
    if (e instanceof WebError) throw new UsageError(`${e.message}\nFix ${USERS_FILE} and start again.`);
    throw e;
  }
}

/**
 * What `serve` authenticates with: the users file's directory (with the server's own token)
 * and the OpenID Connect client secret from the variable the file names; `{}` without a users
 * file. Throws `UsageError` when the named variable is not set.
 *
 * @example
 * ```ts
 * createApp({ ...deps, ...readServerUsers(dir, token, process.env) });
 * ```
 */
export function readServerUsers(
  dir: string,
  serverToken: string,
  env: Readonly<Record<string, string | undefined>>,
): { users?: UserDirectory; oidcClientSecret?: string } {
  const file = readUsersFile(dir);
  if (file === undefined) return {};
  const name = file.oidc?.clientSecretEnv;
  const secret = name === undefined ? undefined : env[name];
  if (name !== undefined && (secret === undefined || secret === '')) {
    throw new UsageError(
      `${USERS_FILE}: oidc.clientSecretEnv names ${name}, which is not set; set it to the client secret, or remove the field for a public client`,
    );
  }
  return {
    users: new UserDirectory(file, serverToken),
    ...(secret === undefined ? {} : { oidcClientSecret: secret }),
  };
}
