/**
 * Reading the users file's YAML (kept apart from the app, so the HTTP function's bundle, which
 * reads the deployed JSON, carries no YAML parser).
 *
 * @example
 * ```ts
 * parseUsersFile(readFileSync('pipewright.users.yaml', 'utf8'), 'pipewright.users.yaml');
 * ```
 */
import { parse as parseYaml } from 'yaml';
import { WebError } from '../errors.ts';
import { checkUsersFile, type UsersFile } from './users-file.ts';

/**
 * Parses and checks a users file; every problem is reported at once as `path: message`.
 *
 * @example
 * ```ts
 * parseUsersFile('users: [{ name: alice, roles: [admin] }]', 'pipewright.users.yaml').users.length; // 1
 * ```
 */
export function parseUsersFile(text: string, source: string): UsersFile {
  let raw: unknown;
  try {
    raw = parseYaml(text);
  } catch (e) {
    throw new WebError(
      'ValidationError',
      `${source}: not valid YAML (${(e as Error).message.split('\n')[0]})`,
    );
  }
  return checkUsersFile(raw, source);
}
