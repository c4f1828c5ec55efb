import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LocalSettingsError } from '../errors.ts';
import { loadLocalSettings, parseLocalSettings } from './parse-local-settings.ts';
import { LOCAL_SETTINGS_FILE } from './schema.ts';

const FILE = 'pipewright.local.yaml';

/** The LocalSettingsError thrown by `parseLocalSettings(text)`. */
function errorOf(text: string): LocalSettingsError {
  try {
    parseLocalSettings(text, FILE);
  } catch (error) {
    if (error instanceof LocalSettingsError) return error;
    throw error;
  }
  throw new Error('expected parseLocalSettings to throw');
}

describe('parseLocalSettings', () => {
  it('reads every setting of a valid file', () => {
    // Prepare
    const text = [
      '# Local run settings',
      'repositories:',
      '  MyRepo: ./repo',
      '  acme/web-app: https://example.com/acme/web-app.git',
      'functions:',
      '  check-release: ./lambdas/check.ts#handler',
      'setup:',
      '  repositories:',
      '    - path: ./repo',
      '      from: ./app',
      '      branch: release/1.x',
      '      message: Initial commit of the example app',
      '',
    ].join('\n');

    // Act
    const settings = parseLocalSettings(text, FILE);

    // Assess
    expect(settings).toEqual({
      repositories: { MyRepo: './repo', 'acme/web-app': 'https://example.com/acme/web-app.git' },
      functions: { 'check-release': './lambdas/check.ts#handler' },
      setup: {
        repositories: [
          {
            path: './repo',
            from: './app',
            branch: 'release/1.x',
            message: 'Initial commit of the example app',
          },
        ],
      },
    });
  });

  it.each([
    ['an empty file', ''],
    ['a file of comments only', '# nothing here yet\n'],
    ['an empty mapping', '{}\n'],
    ['keys with nothing under them', 'repositories:\nfunctions:\nsetup:\n'],
    ['a setup without repositories', 'setup: {}\n'],
  ])('fills in the defaults for %s', (_name, text) => {
    expect(parseLocalSettings(text, FILE)).toEqual({
      repositories: {},
      functions: {},
      setup: { repositories: [] },
    });
  });

  it('defaults a seed branch to main and leaves the message out', () => {
    const settings = parseLocalSettings(
      'setup:\n  repositories:\n    - { path: ./repo, from: ./app }\n',
      FILE,
    );
    expect(settings.setup.repositories).toEqual([{ path: './repo', from: './app', branch: 'main' }]);
  });

  it('reports an unknown key with its file, line, column and the keys allowed there', () => {
    // Prepare
    const text = 'setup:\n  repositories:\n    - path: ./repo\n      form: ./app\n';

    // Act
    const error = errorOf(text);

    // Assess
    expect(error.code).toBe('PW5201');
    expect(error.retryable).toBe(false);
    expect(error.message).toContain(
      'pipewright.local.yaml:4:7 setup.repositories[0].form: is not a setting; expected one of path, from, branch, message',
    );
    expect(error.message).toContain(
      'pipewright.local.yaml:3:7 setup.repositories[0].from: is missing; add from: ./app',
    );
  });

  it('reports an unknown top-level key on its own line', () => {
    const error = errorOf('repositories: {}\nrepos:\n  MyRepo: ./repo\n');
    expect(error.message).toBe(
      '[PW5201] pipewright.local.yaml:2:1 repos: is not a setting; expected one of repositories, functions, setup',
    );
    expect(error.path).toEqual([]);
  });

  it('reports a value of the wrong type where it is', () => {
    const error = errorOf('functions: {}\nrepositories: [./repo]\n');
    expect(error.message).toMatch(
      /^\[PW5201\] pipewright\.local\.yaml:2:15 repositories: must be a mapping of repository names/,
    );
    expect(error.path).toEqual(['repositories']);
  });

  it('reports a repository mapped to a number at the value', () => {
    const error = errorOf('repositories:\n  MyRepo: 42\n');
    expect(error.message).toContain('pipewright.local.yaml:2:11 repositories.MyRepo: must be a local path');
  });

  it('refuses a function that is not a JS/TS module path', () => {
    const error = errorOf('functions:\n  check: check-release-lambda\n');
    expect(error.message).toContain(
      'pipewright.local.yaml:2:10 functions.check: must be a JS/TS module path',
    );
  });

  it('refuses a branch name git would not accept', () => {
    const error = errorOf('setup:\n  repositories:\n    - { path: ./r, from: ./a, branch: "bad..name" }\n');
    expect(error.message).toContain('setup.repositories[0].branch: is not a branch name');
  });

  it('refuses two seeds for the same path', () => {
    const error = errorOf(
      'setup:\n  repositories:\n    - { path: ./repo, from: ./a }\n    - { path: ./repo/, from: ./b }\n',
    );
    expect(error.message).toContain(
      ':4:15 setup.repositories[1].path: ./repo/ is already set up by setup.repositories[0]',
    );
  });

  it('lists every problem when there are several', () => {
    const error = errorOf('repositories: 3\nfunctions: 4\n');
    expect(error.message).toContain('pipewright.local.yaml has 2 problems');
    expect(error.message).toContain('pipewright.local.yaml:1:15 repositories:');
    expect(error.message).toContain('pipewright.local.yaml:2:12 functions:');
  });

  it('reports a YAML syntax error with its line and column', () => {
    const error = errorOf('repositories:\n  MyRepo: "unterminated\n');
    expect(error.message).toBe(
      '[PW5201] pipewright.local.yaml:3:1: not valid YAML: Missing closing "quote; fix the YAML syntax there',
    );
  });

  it('reports a duplicate key as a YAML error', () => {
    const error = errorOf('repositories:\n  MyRepo: ./a\n  MyRepo: ./b\n');
    expect(error.message).toMatch(/pipewright\.local\.yaml:3:3: not valid YAML: .*unique/i);
  });

  it('refuses a document that is not a mapping', () => {
    const error = errorOf('- ./repo\n');
    expect(error.message).toContain('pipewright.local.yaml:1:1: the file must be a mapping');
  });
});

describe('loadLocalSettings', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'pw-settings-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('reads pipewright.local.yaml beside the pipeline file', async () => {
    // Prepare
    await writeFile(join(dir, 'pipeline.yaml'), 'name: x\n');
    await writeFile(join(dir, LOCAL_SETTINGS_FILE), 'repositories:\n  MyRepo: ./repo\n');

    // Act
    const { settings, file } = await loadLocalSettings(join(dir, 'pipeline.yaml'));

    // Assess
    expect(file).toBe(join(dir, LOCAL_SETTINGS_FILE));
    expect(settings.repositories).toEqual({ MyRepo: './repo' });
  });

  it('returns empty settings and no file when there is none', async () => {
    const result = await loadLocalSettings(join(dir, 'pipeline.yaml'));
    expect(result).toEqual({ settings: { repositories: {}, functions: {}, setup: { repositories: [] } } });
    expect('file' in result).toBe(false);
  });

  it('names the settings file in its errors', async () => {
    await writeFile(join(dir, LOCAL_SETTINGS_FILE), 'setup:\n  repos: []\n');
    await expect(loadLocalSettings(join(dir, 'template.yaml'))).rejects.toThrow(
      `${join(dir, LOCAL_SETTINGS_FILE)}:2:3 setup.repos: is not a setting; expected one of repositories`,
    );
  });
});
