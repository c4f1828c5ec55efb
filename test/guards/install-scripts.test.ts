/**
 * `npm ci` needs no compiler and no network beyond the registry (docs/install.md): every
 * package of the lock file with an install script is a dev dependency, and each has been
 * reviewed in package.json's `allowScripts` (approved or denied), so npm 11 never meets an
 * unreviewed script and a new one fails here before it reaches a user's install.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../support/paths.ts';

interface LockEntry {
  version?: string;
  dev?: boolean;
  hasInstallScript?: boolean;
}

const lock = JSON.parse(readFileSync(join(REPO_ROOT, 'package-lock.json'), 'utf8')) as {
  packages: Record<string, LockEntry>;
};
const rootPackage = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as {
  allowScripts?: Record<string, boolean>;
};

/** `node_modules/a/node_modules/@s/b` → `@s/b`. */
function packageName(path: string): string {
  return path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length);
}

const withScripts = Object.entries(lock.packages)
  .filter(([path, entry]) => path.includes('node_modules/') && entry.hasInstallScript === true)
  .map(([path, entry]) => ({ name: packageName(path), version: entry.version, dev: entry.dev === true }));

describe('install scripts in package-lock.json', () => {
  it('belong to dev dependencies only', () => {
    // Assess: a runtime dependency with an install script would run it in every user's install
    expect(withScripts.filter((p) => !p.dev).map((p) => `${p.name}@${p.version}`)).toEqual([]);
  });

  it('are each approved or denied in allowScripts', () => {
    // Prepare
    const reviewed = new Set(
      Object.keys(rootPackage.allowScripts ?? {}).map((key) => key.replace(/(.)@.*$/, '$1')),
    );
    // Assess
    expect(withScripts.filter((p) => !reviewed.has(p.name)).map((p) => `${p.name}@${p.version}`)).toEqual([]);
  });

  it('leave no allowScripts entry without a package that needs it', () => {
    // Prepare
    const names = new Set(withScripts.map((p) => p.name));
    // Assess: a stale approval would silently allow a future version of a package we dropped
    const stale = Object.keys(rootPackage.allowScripts ?? {}).filter(
      (key) => !names.has(key.replace(/(.)@.*$/, '$1')),
    );
    expect(stale).toEqual([]);
  });
});
