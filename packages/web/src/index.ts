/** `@pipewright/web`: the HTTP app (JSON API, dashboard, approval pages, webhooks). Explicit named re-exports only. */
export { createApp } from './app.ts';
export { createDashboard } from './dashboard/dashboard-routes.ts';
export { signSession } from './dashboard/session.ts';
export type { WebDeps } from './deps.ts';
export { WebError } from './errors.ts';
export { ROLES, type Role } from './identity/identity.ts';
export { newApiToken, tokenHash, UserDirectory } from './identity/user-directory.ts';
export { checkUsersFile, type UsersFile } from './identity/users-file.ts';
export { parseUsersFile } from './identity/users-yaml.ts';
