/**
 * The users a server knows (from its users file) and the server's own token: resolves a
 * bearer token to a verified {@link Identity}, an OpenID Connect sign-in's claims to one, and
 * answers whether an identity may decide a given approval action.
 *
 * Tokens are compared by their SHA-256 hash (tokens are 256-bit random values, so a plain hash
 * is what GitHub and others store too); the server's own token, compared in constant time, is
 * its owner's: an admin who may name whom they act for (`X-Pipewright-User`).
 *
 * @example
 * ```ts
 * const directory = new UserDirectory(parseUsersFile(text, 'pipewright.users.yaml'), serverToken);
 * directory.byToken(token)?.user; // 'alice'
 * directory.mayDecide(alice, { pipeline: 'web-app', stageName: 'Approval', actionName: 'Release' });
 * ```
 */
import { createHash, randomBytes } from 'node:crypto';
import picomatch from 'picomatch';
import { constantTimeEqual } from './constant-time.ts';
import { can, type Identity, type Role } from './identity.ts';
import type { OidcSettings, UsersFile } from './users-file.ts';

/** The approval action a decision is for. @example `{ pipeline: 'web-app', stageName: 'Approval', actionName: 'Release' }` */
export interface ApprovalTarget {
  pipeline: string;
  stageName: string;
  actionName: string;
}

/** The user name of the server's own token when the request names nobody (as before users existed). @example `'api'` */
export const SERVER_TOKEN_USER = 'api';

/**
 * The stored form of a token: `sha256:<hex>`.
 *
 * @example
 * ```ts
 * tokenHash('pw_abc').startsWith('sha256:'); // true
 * ```
 */
export function tokenHash(token: string): string {
  return `sha256:${createHash('sha256').update(token, 'utf8').digest('hex')}`;
}

/**
 * A new random API token (`pw_` and 43 base64url characters: 256 bits).
 *
 * @example
 * ```ts
 * newApiToken().startsWith('pw_'); // true
 * ```
 */
export function newApiToken(): string {
  return `pw_${randomBytes(32).toString('base64url')}`;
}

interface CompiledRule {
  matches: (path: string) => boolean;
  users: ReadonlySet<string>;
  groups: ReadonlySet<string>;
}

/** Users, tokens, approval rules. @see module docs */
export class UserDirectory {
  readonly #file: UsersFile;
  readonly #serverToken: string;
  readonly #byHash = new Map<string, Identity>();
  readonly #rules: readonly CompiledRule[];

  constructor(file: UsersFile, serverToken: string) {
    if (serverToken === '') throw new TypeError('the server token must not be empty');
    this.#file = file;
    this.#serverToken = serverToken;
    for (const user of file.users) {
      const identity: Identity = { user: user.name, roles: user.roles, groups: user.groups, via: 'token' };
      for (const hash of user.tokens) this.#byHash.set(hash, identity);
    }
    this.#rules = file.approvals.map((rule) => ({
      matches: picomatch(rule.actions, { dot: true }),
      users: new Set(rule.users),
      groups: new Set(rule.groups),
    }));
  }

  /** The OpenID Connect provider, when the users file configures one. */
  get oidc(): OidcSettings | undefined {
    return this.#file.oidc;
  }

  /**
   * The identity a bearer token belongs to, or `undefined`.
   *
   * @example
   * ```ts
   * directory.byToken(serverToken, 'carol'); // { user: 'carol', roles: ['admin'], via: 'server-token', … }
   * ```
   */
  byToken(token: string, namedUser?: string): Identity | undefined {
    if (constantTimeEqual(token, this.#serverToken)) {
      const user = namedUser === undefined || namedUser === '' ? SERVER_TOKEN_USER : namedUser;
      return { user, roles: ['admin'], groups: [], via: 'server-token' };
    }
    return this.#byHash.get(tokenHash(token));
  }

  /**
   * The identity of an OpenID Connect sign-in: the user's roles from the users file (when it
   * lists the name) plus those its groups are mapped to plus the default roles; `undefined`
   * when that leaves no role (such a user may not sign in).
   *
   * @example
   * ```ts
   * directory.fromClaims('bob@example.com', ['release']); // { user: 'bob@example.com', roles: ['approver'], via: 'oidc', … }
   * ```
   */
  fromClaims(user: string, groups: readonly string[]): Identity | undefined {
    const oidc = this.#file.oidc;
    const listed = this.#file.users.find((u) => u.name === user);
    const roles = new Set<Role>([...(listed?.roles ?? []), ...(oidc?.defaultRoles ?? [])]);
    for (const group of groups) for (const role of oidc?.roles[group] ?? []) roles.add(role);
    if (roles.size === 0) return undefined;
    const allGroups = [...new Set([...groups, ...(listed?.groups ?? [])])];
    return { user, roles: [...roles], groups: allGroups, via: 'oidc' };
  }

  /**
   * The roles the users file gives a user now (for a session made earlier), or `undefined`
   * when the file no longer lists them.
   *
   * @example
   * ```ts
   * directory.listed('alice')?.roles; // ['admin']
   * ```
   */
  listed(user: string): Identity | undefined {
    const found = this.#file.users.find((u) => u.name === user);
    return found === undefined
      ? undefined
      : { user: found.name, roles: found.roles, groups: found.groups, via: 'token' };
  }

  /**
   * Whether the identity may decide the approval: it needs the `approver` (or `admin`) role,
   * and where approval rules name the action (`<pipeline>/<stage>/<action>`, globs), it must
   * be one of the users or groups of a rule that does.
   *
   * @example
   * ```ts
   * directory.mayDecide(bob, { pipeline: 'web-app', stageName: 'Approval', actionName: 'Release' }); // true
   * ```
   */
  mayDecide(identity: Identity, target: ApprovalTarget): boolean {
    if (!can(identity, 'approve')) return false;
    const path = `${target.pipeline}/${target.stageName}/${target.actionName}`;
    const rules = this.#rules.filter((rule) => rule.matches(path));
    if (rules.length === 0) return true;
    return rules.some(
      (rule) => rule.users.has(identity.user) || identity.groups.some((g) => rule.groups.has(g)),
    );
  }
}
