/** `@pipewright/web`: the HTTP app (JSON API, dashboard, approval pages, webhooks). Explicit named re-exports only. */
export { constantTimeEqual, requireApiToken } from './api/auth.ts';
export { type ExecutionRow, executionRow, listExecutionRows } from './api/execution-list.ts';
export { ApprovalBodySchema, EventsQuerySchema, StopBodySchema } from './api/executions.ts';
export { ExecutionListQuerySchema, StartBodySchema } from './api/pipelines.ts';
export { USER_HEADER } from './api/request.ts';
export { createApp, MAX_BODY_BYTES, type WebApp } from './app.ts';
export { DecisionFormSchema } from './approvals/approval-routes.ts';
export { DashboardReader, type PipelineDigest } from './dashboard/dashboard-reader.ts';
export { createDashboard, type Dashboard } from './dashboard/dashboard-routes.ts';
export { LiveHub, type LiveHubOptions, SSE_HEADERS } from './dashboard/live-hub.ts';
export { liveKey } from './dashboard/live-views.ts';
export {
  CSRF_FIELD,
  csrfToken,
  type DashboardSession,
  readSession,
  SECURE_SESSION_COOKIE,
  SESSION_COOKIE,
  SESSION_TTL_SECONDS,
  signSession,
} from './dashboard/session.ts';
export type { WebChanges, WebControl, WebDeps, WebPipelines, WebTriggers } from './deps.ts';
export {
  errorBody,
  toWebError,
  WEB_ERROR_STATUS,
  WebError,
  type WebErrorCode,
  type WebErrorStatus,
} from './errors.ts';
export { escapeHtml, html, httpUrl, raw, SafeHtml } from './html/escape.ts';
export { type Identity, type Permission, ROLES, type Role } from './identity/identity.ts';
export {
  newApiToken,
  SERVER_TOKEN_USER,
  tokenHash,
  UserDirectory,
} from './identity/user-directory.ts';
export { checkUsersFile, type OidcSettings, type UsersFile, UsersFileSchema } from './identity/users-file.ts';
export { parseUsersFile } from './identity/users-yaml.ts';
export { BusEventBodySchema, type EventResult, eventRoutes } from './triggers/event-routes.ts';
export {
  GITHUB_DELIVERY_HEADER,
  GITHUB_EVENT_HEADER,
  githubWebhookRoutes,
  type WebhookAnswer,
} from './triggers/github-webhook-routes.ts';
export { SIGNATURE_HEADER, signWebhook, verifyWebhookSignature } from './triggers/webhook-signature.ts';
