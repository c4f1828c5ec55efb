/**
 * Making the relative paths of `pipewright.local.yaml` absolute, relative to the directory the
 * file is in. Git URLs are left as written.
 *
 * @example
 * ```ts
 * resolveSettingsPaths(settings, '/home/me/project').repositories.MyRepo; // '/home/me/project/repo'
 * ```
 */
import { isAbsolute, resolve } from 'node:path';
import type { LocalSettings } from './schema.ts';

/**
 * True when a `repositories` value is a git URL rather than a local path: `scheme://…`,
 * scp-like `user@host:path` (e.g. `git@github.com:acme/app.git`) or `file:…`.
 *
 * @example
 * ```ts
 * isRepositoryUrl('git@github.com:acme/app.git'); // true
 * isRepositoryUrl('./repo'); // false
 * ```
 */
export function isRepositoryUrl(location: string): boolean {
  const trimmed = location.trim();
  return (
    /^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed) || /^[^/\s]+@[^/\s]+:/.test(trimmed) || /^file:/i.test(trimmed)
  );
}

/**
 * Returns a copy of `settings` whose local paths are absolute, resolved against `baseDir` (the
 * settings file's directory): `repositories` values that are not URLs, the module part of
 * `functions` values (the `#export` suffix is kept), and `setup.repositories` `path` / `from`.
 *
 * @example
 * ```ts
 * const resolved = resolveSettingsPaths(
 *   { repositories: { MyRepo: './repo' }, functions: { f: './f.ts#handler' }, setup: { repositories: [] } },
 *   '/srv/example',
 * );
 * resolved.functions.f; // '/srv/example/f.ts#handler'
 * ```
 */
export function resolveSettingsPaths(settings: LocalSettings, baseDir: string): LocalSettings {
  const local = (path: string) => {
    const trimmed = path.trim();
    return isAbsolute(trimmed) ? trimmed : resolve(baseDir, trimmed);
  };
  const repositories: Record<string, string> = {};
  for (const [name, location] of Object.entries(settings.repositories)) {
    repositories[name] = isRepositoryUrl(location) ? location : local(location);
  }
  const functions: Record<string, string> = {};
  for (const [name, target] of Object.entries(settings.functions)) {
    const hash = target.lastIndexOf('#');
    functions[name] = hash >= 0 ? `${local(target.slice(0, hash))}${target.slice(hash)}` : local(target);
  }
  return {
    repositories,
    functions,
    setup: {
      repositories: settings.setup.repositories.map((seed) => ({
        ...seed,
        path: local(seed.path),
        from: local(seed.from),
      })),
    },
    ...(settings.webhooks === undefined ? {} : { webhooks: settings.webhooks }),
    ...(settings.smtp === undefined ? {} : { smtp: settings.smtp }),
  };
}
