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
 * The directory of users `serve` authenticates with: the users file's, with the server's own
 * token; `undefined` without a users file.
 *
 * @example
 * ```ts
 * createApp({ ...deps, users: readUserDirectory(dir, token) });
 * ```
 */
export function readUserDirectory(dir: string, serverToken: string): UserDirectory | undefined {
  const file = readUsersFile(dir);
  return file === undefined ? undefined : new UserDirectory(file, serverToken);
}
