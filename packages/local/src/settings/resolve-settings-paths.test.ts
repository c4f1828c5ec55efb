import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isRepositoryUrl, resolveSettingsPaths } from './resolve-settings-paths.ts';
import type { LocalSettings } from './schema.ts';

const base = resolve('/', 'srv', 'example');

describe('resolveSettingsPaths', () => {
  it('keeps the webhook settings as they are', () => {
    const webhooks = { 'web-app': { secretEnv: 'HOOK' } };
    const resolved = resolveSettingsPaths(
      { repositories: {}, functions: {}, setup: { repositories: [] }, webhooks },
      base,
    );
    expect(resolved.webhooks).toEqual(webhooks);
  });

  it('keeps the SMTP settings as they are', () => {
    const smtp = { host: 'smtp.example.com', port: 465, secure: true, from: 'ci@example.com' };
    const resolved = resolveSettingsPaths(
      { repositories: {}, functions: {}, setup: { repositories: [] }, smtp },
      base,
    );
    expect(resolved.smtp).toEqual(smtp);
  });

  it('makes local repository paths absolute and keeps git URLs as written', () => {
    // Prepare
    const settings: LocalSettings = {
      repositories: {
        MyRepo: './repo',
        Nested: 'repos/nested',
        Abs: '/opt/repos/abs',
        'acme/https': 'https://example.com/acme/app.git',
        'acme/ssh': 'git@github.com:acme/app.git',
        'acme/file': 'file:///opt/repos/app.git',
      },
      functions: {},
      setup: { repositories: [] },
    };

    // Act
    const resolved = resolveSettingsPaths(settings, base);

    // Assess
    expect(resolved.repositories).toEqual({
      MyRepo: join(base, 'repo'),
      Nested: join(base, 'repos', 'nested'),
      Abs: '/opt/repos/abs',
      'acme/https': 'https://example.com/acme/app.git',
      'acme/ssh': 'git@github.com:acme/app.git',
      'acme/file': 'file:///opt/repos/app.git',
    });
  });

  it('resolves the module of a function and keeps its #export', () => {
    const resolved = resolveSettingsPaths(
      {
        repositories: {},
        functions: { check: './lambdas/check.ts#handler', plain: '../shared/notify.js' },
        setup: { repositories: [] },
      },
      base,
    );
    expect(resolved.functions).toEqual({
      check: `${join(base, 'lambdas', 'check.ts')}#handler`,
      plain: resolve(base, '..', 'shared', 'notify.js'),
    });
  });

  it('resolves setup paths and keeps the other seed fields', () => {
    const resolved = resolveSettingsPaths(
      {
        repositories: {},
        functions: {},
        setup: { repositories: [{ path: './repo', from: 'app', branch: 'main', message: 'first' }] },
      },
      base,
    );
    expect(resolved.setup.repositories).toEqual([
      { path: join(base, 'repo'), from: join(base, 'app'), branch: 'main', message: 'first' },
    ]);
  });

  it('does not change the settings it is given', () => {
    const settings: LocalSettings = {
      repositories: { MyRepo: './repo' },
      functions: { f: './f.ts' },
      setup: { repositories: [{ path: './repo', from: './app', branch: 'main' }] },
    };
    const copy = structuredClone(settings);
    resolveSettingsPaths(settings, base);
    expect(settings).toEqual(copy);
  });
});

describe('isRepositoryUrl', () => {
  it.each([
    ['https://example.com/a.git', true],
    ['ssh://git@example.com/a.git', true],
    ['git@github.com:acme/app.git', true],
    ['file:///tmp/a', true],
    ['file:relative', true],
    ['./repo', false],
    ['repo', false],
    ['/abs/repo', false],
    ['dir/with@sign/repo', false],
  ])('says %s is a URL: %s', (location, expected) => {
    expect(isRepositoryUrl(location)).toBe(expected);
  });
});
