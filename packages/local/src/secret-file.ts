/**
 * Secrets kept in the state directory (API token, approval key, webhook secrets): made once,
 * with mode 0600, and read back on every later start.
 *
 * @example
 * ```ts
 * const token = secretFile('.pipewright/api-token', 24); // 48 hex digits
 * ```
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/** The secret in `file` (trimmed), made of `bytes` random bytes in hex when the file does not exist yet. */
export function secretFile(file: string, bytes: number): string {
  mkdirSync(dirname(file), { recursive: true });
  try {
    writeFileSync(file, `${randomBytes(bytes).toString('hex')}\n`, { flag: 'wx', mode: 0o600 });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
  }
  return readFileSync(file, 'utf8').trim();
}
