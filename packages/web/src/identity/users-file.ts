/**
 * The users file (`pipewright.users.yaml` beside the pipelines): who may do what, per-user API
 * tokens stored as SHA-256 hashes (never the tokens), who may decide which approval actions,
 * and the OpenID Connect provider the dashboard signs in with.
 *
 * ```yaml
 * users:
 *   - name: alice
 *     roles: [admin]
 *     tokens: ['sha256:…']          # pipewright users token alice
 *   - name: bob
 *     roles: [approver]
 *     groups: [release]
 * approvals:                          # like an IAM policy on PutApprovalResult
 *   - actions: ['web-app/Approval/*'] # <pipeline>/<stage>/<action>, globs
 *     users: [bob]
 *     groups: [release]
 * oidc:
 *   issuer: https://login.example.com
 *   clientId: pipewright
 *   clientSecretEnv: PIPEWRIGHT_OIDC_CLIENT_SECRET
 *   groupsClaim: groups
 *   roles: { release: [approver], platform: [operator] }
 * ```
 *
 * @example
 * ```ts
 * const file = checkUsersFile(parsedYaml, 'pipewright.users.yaml');
 * file.users[0]?.name; // 'alice'
 * ```
 */
import * as z from 'zod';
import { WebError } from '../errors.ts';
import { ROLES } from './identity.ts';

const NAME = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[^\p{Cc}]+$/u, 'a name of printable characters');

const TOKEN_HASH = z
  .string()
  .regex(
    /^sha256:[0-9a-f]{64}$/,
    'a token hash "sha256:<64 hex digits>" as `pipewright users token` prints it',
  );

const UserSchema = z.strictObject({
  name: NAME,
  roles: z.array(z.enum(ROLES)).min(1, 'give the user at least one role'),
  groups: z.array(NAME).default([]),
  tokens: z.array(TOKEN_HASH).default([]),
});

const ApprovalRuleSchema = z
  .strictObject({
    actions: z.array(z.string().min(1)).min(1, 'name at least one <pipeline>/<stage>/<action> pattern'),
    users: z.array(NAME).default([]),
    groups: z.array(NAME).default([]),
  })
  .refine((r) => r.users.length + r.groups.length > 0, {
    message: 'name the users or groups who may decide these approvals',
  });

const OidcSchema = z.strictObject({
  issuer: z.url({ protocol: /^https?$/ }),
  clientId: z.string().min(1),
  /** The environment variable holding the client secret; absent: a public client (PKCE only). */
  clientSecretEnv: z
    .string()
    .regex(/^[A-Za-z_][A-Za-z0-9_]*$/)
    .optional(),
  /** The claim naming the user (default `email`, then `preferred_username`, then `sub`). */
  userClaim: z.string().min(1).optional(),
  /** The claim listing the user's groups (default `groups`). */
  groupsClaim: z.string().min(1).default('groups'),
  /** Roles granted per group. */
  roles: z.record(z.string(), z.array(z.enum(ROLES))).default({}),
  /** Roles every signed-in user gets (default none: a user with no role may not sign in). */
  defaultRoles: z.array(z.enum(ROLES)).default([]),
  scope: z.string().default('openid email profile'),
  /** Where the provider sends the browser back (default: this server's `/login/oidc/callback`). */
  redirectUri: z.url({ protocol: /^https?$/ }).optional(),
});

/** The users file, parsed. @see parseUsersFile */
export const UsersFileSchema = z.strictObject({
  users: z.array(UserSchema).default([]),
  approvals: z.array(ApprovalRuleSchema).default([]),
  oidc: OidcSchema.optional(),
});
/** @see UsersFileSchema @example `{ users: [], approvals: [] }` */
export type UsersFile = z.infer<typeof UsersFileSchema>;
/** @see UsersFileSchema @example `{ issuer: 'https://login.example.com', clientId: 'pw', … }` */
export type OidcSettings = z.infer<typeof OidcSchema>;

/**
 * Checks a users file already read (from YAML by `parseUsersFile`, from JSON where infra
 * deployed it); every problem is reported at once as `path: message`.
 *
 * @example
 * ```ts
 * checkUsersFile({ users: [{ name: 'alice', roles: ['admin'] }] }, 'pipewright.users.yaml').users.length; // 1
 * ```
 */
export function checkUsersFile(raw: unknown, source: string): UsersFile {
  const parsed = UsersFileSchema.safeParse(raw ?? {});
  if (!parsed.success) {
    const problems = parsed.error.issues.map(
      (i) => `${source}: ${i.path.join('.') || '(top)'}: ${i.message}`,
    );
    throw new WebError('ValidationError', problems.join('\n'));
  }
  const names = new Set<string>();
  for (const [i, user] of parsed.data.users.entries()) {
    if (names.has(user.name)) {
      throw new WebError('ValidationError', `${source}: users.${i}.name: "${user.name}" is listed twice`);
    }
    names.add(user.name);
  }
  return parsed.data;
}
