/**
 * Local run settings (`pipewright.local.yaml`) and the example repositories they set up.
 *
 * @example
 * ```ts
 * import { loadLocalSettings, prepareRepositories, resolveSettingsPaths } from './settings/index.ts';
 * const { settings } = await loadLocalSettings(pipelineFile);
 * const resolved = resolveSettingsPaths(settings, dirname(pipelineFile));
 * await prepareRepositories(resolved.setup.repositories, dirname(pipelineFile));
 * ```
 */
export { loadLocalSettings, parseLocalSettings } from './parse-local-settings.ts';
export {
  type PreparedRepository,
  type PrepareRepositoriesOptions,
  prepareRepositories,
} from './prepare-repositories.ts';
export { isRepositoryUrl, resolveSettingsPaths } from './resolve-settings-paths.ts';
export {
  type AwsSettings,
  emptyLocalSettings,
  LOCAL_SETTINGS_FILE,
  type LocalSettings,
  localSettingsSchema,
  type SeedRepository,
  type SmtpSettings,
  type WebhookSetting,
} from './schema.ts';
