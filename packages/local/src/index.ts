/** `@pipewright/local`: local adapters. Explicit named re-exports only. */
export {
  ARTIFACT_URI_PREFIX,
  ArtifactStoreError,
  FileArtifactStore,
  type FileArtifactStoreOptions,
  type Manifest,
  type ManifestEntry,
  type ManifestFile,
  type ManifestSymlink,
  parseArtifactUri,
} from './artifacts/index.ts';
export { LocalServerError, LocalSettingsError, LocalStoreError } from './errors.ts';
export { SqliteEventStore, type SqliteEventStoreOptions } from './event-store/sqlite-event-store.ts';
export { type JournalRead, StateMachineJournal } from './event-store/state-machine-journal.ts';
export { FileActionLogStore } from './logs/file-action-log-store.ts';
export {
  type BusEvent,
  type BusListener,
  createLocalNotifications,
  LocalEventBus,
  type LocalNotifications,
  type LocalNotificationsOptions,
  NotificationDeliveryError,
  SmtpNotifier,
  WebhookNotifier,
  type WebhookNotifierOptions,
} from './notify/index.ts';
export { type FunctionNames, LocalOrchestrator } from './orchestrator/local-orchestrator.ts';
export {
  approvalKey,
  LOCAL_FUNCTION_NAMES,
  type LocalRuntime,
  type LocalRuntimeOptions,
  openLocalRuntime,
} from './runtime/local-runtime.ts';
export {
  apiToken,
  type LocalApp,
  type LocalAppDeps,
  type LocalServer,
  type LocalServerOptions,
  type LocalServerReport,
  openLocalServer,
} from './server/open-local-server.ts';
export type { LoadedFile } from './server/served-pipelines.ts';
export {
  type AwsSettings,
  emptyLocalSettings,
  isRepositoryUrl,
  LOCAL_SETTINGS_FILE,
  type LocalSettings,
  loadLocalSettings,
  localSettingsSchema,
  type PreparedRepository,
  type PrepareRepositoriesOptions,
  parseLocalSettings,
  prepareRepositories,
  resolveSettingsPaths,
  type SeedRepository,
  type SmtpSettings,
  type WebhookSetting,
} from './settings/index.ts';
export {
  DEFAULT_POLL_INTERVAL_MS,
  GitPoller,
  type GitPollerOptions,
  LocalScheduler,
  type LocalSchedulerOptions,
  nextTick,
  type PolledPipeline,
  type PolledSource,
  polledSources,
  type ScheduledTrigger,
  scheduleTriggerId,
  TriggerDispatcher,
  type TriggerDispatcherOptions,
  type TriggeredStart,
  webhookSecret,
  webhookSecretFile,
} from './triggers/index.ts';
