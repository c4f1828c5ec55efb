/**
 * Who is asking, and what they may do. Every request that reads or changes something carries a
 * verified identity: a per-user API token (stored hashed), the server's own token (its owner,
 * an admin), or an OpenID Connect sign-in. Roles grant permissions:
 *
 * | role | may |
 * | --- | --- |
 * | `viewer` | read pipelines, executions, logs |
 * | `operator` | read; start, stop, retry, roll back, enable/disable transitions |
 * | `approver` | read; decide manual approvals (as the approval rules allow) |
 * | `admin` | everything |
 *
 * @example
 * ```ts
 * const alice: Identity = { user: 'alice', roles: ['approver'], groups: ['release'], via: 'token' };
 * can(alice, 'approve'); // true
 * can(alice, 'operate'); // false
 * ```
 */
import type { EventActor } from '@pipewright/core';

/** The roles a user may have. @example `ROLES.includes('viewer')` */
export const ROLES = ['viewer', 'operator', 'approver', 'admin'] as const;
/** @see ROLES @example `'operator'` */
export type Role = (typeof ROLES)[number];

/** What a request may need. @example `'operate'` */
export type Permission = 'read' | 'operate' | 'approve' | 'admin';

/** How an identity was verified. @example `'oidc'` */
export type IdentityVia = 'token' | 'server-token' | 'oidc';

/** A verified identity. @example `{ user: 'alice', roles: ['viewer'], groups: [], via: 'token' }` */
export interface Identity {
  /** The user name recorded as the actor of what they do. */
  user: string;
  roles: readonly Role[];
  groups: readonly string[];
  via: IdentityVia;
}

const GRANTS: Readonly<Record<Role, readonly Permission[]>> = {
  viewer: ['read'],
  operator: ['read', 'operate'],
  approver: ['read', 'approve'],
  admin: ['read', 'operate', 'approve', 'admin'],
};

/**
 * Whether the identity's roles grant the permission.
 *
 * @example
 * ```ts
 * can({ user: 'bob', roles: ['viewer'], groups: [], via: 'token' }, 'operate'); // false
 * ```
 */
export function can(identity: Identity, permission: Permission): boolean {
  return identity.roles.some((role) => GRANTS[role].includes(permission));
}

/**
 * The event-log actor of an identity: its user name and how it was verified.
 *
 * @example
 * ```ts
 * identityActor({ user: 'alice', roles: [], groups: [], via: 'oidc' }); // { kind: 'user', id: 'alice', verifiedBy: 'oidc' }
 * ```
 */
export function identityActor(identity: Identity): EventActor {
  return { kind: 'user', id: identity.user, verifiedBy: identity.via };
}
