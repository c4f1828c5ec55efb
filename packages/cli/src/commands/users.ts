/**
 * `pipewright users token <name>`: makes a new API token for a user of `serve`'s users file
 * (`<dir>/pipewright.users.yaml`), adding the user with `--role` when the file does not list
 * them yet (and making the file when there is none). The file keeps only the token's SHA-256
 * hash, and the rest of the file (comments, order) stays as it was; the token itself is printed
 * once. A running `serve` reads the file when it starts.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { newApiToken, parseUsersFile, ROLES, type Role, tokenHash } from '@pipewright/web';
import { parseDocument, type YAMLMap, type YAMLSeq } from 'yaml';
import type { Command } from '../command.ts';
import { EXIT, UsageError } from '../errors.ts';
import { readUsersFile, USERS_FILE } from '../users-file.ts';

function roles(given: string[] | undefined): Role[] {
  const out: Role[] = [];
  for (const role of given ?? []) {
    if (!(ROLES as readonly string[]).includes(role)) {
      throw new UsageError(`--role ${role}: choose one of ${ROLES.join(', ')}`);
    }
    out.push(role as Role);
  }
  return out;
}

/** Adds a token hash to the user's entry (made with `roles` and `groups` when missing). */
function withToken(
  text: string,
  user: string,
  hash: string,
  add: { roles: Role[]; groups: string[] },
): string {
  const doc = parseDocument(text === '' ? 'users: []\n' : text);
  if (!doc.has('users')) doc.set('users', doc.createNode([]));
  const users = doc.get('users') as YAMLSeq<YAMLMap>;
  const entry = users.items.find((item) => item.get('name') === user);
  if (entry === undefined) {
    if (add.roles.length === 0) {
      throw new UsageError(
        `${user} is not in ${USERS_FILE} yet: give their roles with --role (${ROLES.join(', ')})`,
      );
    }
    users.add(
      doc.createNode({
        name: user,
        roles: add.roles,
        ...(add.groups.length > 0 ? { groups: add.groups } : {}),
        tokens: [hash],
      }),
    );
  } else {
    if (add.roles.length > 0 || add.groups.length > 0) {
      throw new UsageError(`${user} is already in ${USERS_FILE}: change their roles and groups in the file`);
    }
    if (!entry.has('tokens')) entry.set('tokens', doc.createNode([]));
    (entry.get('tokens') as YAMLSeq).add(hash);
  }
  return doc.toString();
}

/** `pipewright users`. */
export const usersCommand: Command = {
  name: 'users',
  summary: "Make a user's API token for serve's users file (roles, approvers)",
  usage: 'pipewright users token <name> [--role ROLE]… [--group NAME]… [--dir DIR] [--json]',
  optionHelp: [
    `--role ROLE    for a user the file does not list yet: ${ROLES.join(', ')} (repeatable)`,
    '--group NAME   for a new user: a group approval rules may name (repeatable)',
    `--dir DIR      the pipelines directory holding ${USERS_FILE} (default: .)`,
    '--json         print { user, token, file }',
    '',
    'The token is printed once; the file keeps its SHA-256 hash. Use it as PIPEWRIGHT_TOKEN or',
    'sign in to the dashboard with it. Restart serve to read the file again.',
  ],
  examples: [
    'pipewright users token bob --role approver --group release --dir pipelines',
    'PIPEWRIGHT_TOKEN=pw_… pipewright approve <execution-id>',
  ],
  options: {
    role: { type: 'string', multiple: true },
    group: { type: 'string', multiple: true },
    dir: { type: 'string' },
    json: { type: 'boolean' },
  },
  async run({ values, positionals }, io) {
    if (positionals[0] !== 'token' || positionals.length !== 2) {
      throw new UsageError('say which user: pipewright users token <name>', this.usage);
    }
    const user = positionals[1] as string;
    const dir = resolve(io.cwd, (values.dir as string | undefined) ?? '.');
    readUsersFile(dir); // refuses a file that is not valid before changing it
    const file = join(dir, USERS_FILE);
    let text = '';
    try {
      text = readFileSync(file, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    }
    const token = newApiToken();
    const next = withToken(text, user, tokenHash(token), {
      roles: roles(values.role as string[] | undefined),
      groups: (values.group as string[] | undefined) ?? [],
    });
    parseUsersFile(next, USERS_FILE);
    writeFileSync(file, next, { mode: 0o600 });
    if (values.json) {
      io.stdout.write(`${JSON.stringify({ user, token, file })}\n`);
    } else {
      io.stdout.write(
        `${token}\n\nThe API token of ${user}, shown once (${file} keeps its hash). Use it as PIPEWRIGHT_TOKEN or to sign in to the dashboard.\n`,
      );
    }
    return EXIT.ok;
  },
};
