/** `@pipewright/local`: local adapters. Explicit named re-exports only. */
export { FileArtifactStore } from './artifacts/index.ts';
export { LocalServerError, LocalSettingsError } from './errors.ts';
export { SqliteEventStore } from './event-store/sqlite-event-store.ts';
export { FileActionLogStore } from './logs/file-action-log-store.ts';
export { createLocalNotifications, LocalEventBus, SmtpNotifier, WebhookNotifier } from './notify/index.ts';
export { LocalOrchestrator } from './orchestrator/local-orchestrator.ts';
export {
  approvalKey,
  type LocalRuntime,
  type LocalRuntimeOptions,
  openLocalRuntime,
} from './runtime/local-runtime.ts';
export { apiToken, type LocalServerReport, openLocalServer } from './server/open-local-server.ts';
export type { LoadedFile } from './server/served-pipelines.ts';
export {
  type AwsSettings,
  LOCAL_SETTINGS_FILE,
  loadLocalSettings,
  prepareRepositories,
  resolveSettingsPaths,
} from './settings/index.ts';
export { DEFAULT_POLL_INTERVAL_MS, TriggerDispatcher } from './triggers/index.ts';
