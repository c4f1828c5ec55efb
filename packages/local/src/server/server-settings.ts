/**
 * `pipewright.local.yaml` of the served directory: read once at start (its repositories are
 * set up then), and looked at again whenever the directory changes, so that a broken or
 * deleted file is reported like an invalid pipeline edit while the last good settings keep
 * running.
 *
 * @example
 * ```ts
 * const settings = await loadServerSettings('/srv/pipelines');
 * const seen = await reloadServerSettings('/srv/pipelines', settings.text);
 * ```
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LocalProvidersOptions } from '@pipewright/providers';
import { LocalSettingsError } from '../errors.ts';
import {
  LOCAL_SETTINGS_FILE,
  loadLocalSettings,
  prepareRepositories,
  resolveSettingsPaths,
  type SmtpSettings,
  type WebhookSetting,
} from '../settings/index.ts';

/** The settings the server runs with. */
export interface ServerSettings {
  providerOptions: LocalProvidersOptions;
  repositories: Readonly<Record<string, string>>;
  webhooks: Readonly<Record<string, WebhookSetting>>;
  smtp?: SmtpSettings;
  /** The file's text as read (`undefined`: there was none). */
  text: string | undefined;
}

/** What a new look at the settings file found. */
export type SettingsChange =
  | { kind: 'same' }
  | { kind: 'deleted'; file: string; text: undefined }
  | { kind: 'invalid'; file: string; text: string; message: string }
  | { kind: 'changed'; file: string; settings: ServerSettings };

function readText(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}

async function parse(
  dir: string,
): Promise<{ settings: ServerSettings; seeds: Parameters<typeof prepareRepositories>[0]; file?: string }> {
  const text = readText(join(dir, LOCAL_SETTINGS_FILE));
  const { settings, file } = await loadLocalSettings(join(dir, 'pipeline.yaml'));
  const resolved = resolveSettingsPaths(settings, dir);
  return {
    settings: {
      providerOptions: { repositories: resolved.repositories, functions: resolved.functions },
      repositories: resolved.repositories,
      webhooks: resolved.webhooks ?? {},
      ...(resolved.smtp === undefined ? {} : { smtp: resolved.smtp }),
      text,
    },
    seeds: resolved.setup.repositories,
    ...(file === undefined ? {} : { file }),
  };
}

/**
 * Reads the settings of `dir` and sets up the repositories they name.
 *
 * @throws {LocalSettingsError} when the file is invalid or a repository cannot be set up.
 */
export async function loadServerSettings(dir: string): Promise<ServerSettings> {
  const { settings, seeds, file } = await parse(dir);
  await prepareRepositories(seeds, dir, file === undefined ? {} : { file });
  return settings;
}

/** Looks at the settings file again; `lastText` is the text the server last took in. */
export async function reloadServerSettings(
  dir: string,
  lastText: string | undefined,
): Promise<SettingsChange> {
  const file = join(dir, LOCAL_SETTINGS_FILE);
  let text: string | undefined;
  try {
    text = readText(file);
  } catch (e) {
    return { kind: 'invalid', file, text: '', message: `${file}: cannot be read (${(e as Error).message})` };
  }
  if (text === lastText) return { kind: 'same' };
  if (text === undefined) return { kind: 'deleted', file, text };
  try {
    return { kind: 'changed', file, settings: (await parse(dir)).settings };
  } catch (e) {
    if (!(e instanceof LocalSettingsError)) throw e;
    return { kind: 'invalid', file, text, message: e.message.replace(/^\[PW\d+\] /, '') };
  }
}
