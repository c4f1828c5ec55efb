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
      '[PW5201] pipewright.local.yaml:2:1 repos: is not a setting; expected one of repositories, functions, setup, webhooks, smtp, aws',
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

describe('parseLocalSettings webhooks', () => {
  it('reads the webhook secret of each pipeline', () => {
    const settings = parseLocalSettings(
      'webhooks:\n  web-app: { secretEnv: WEB_APP_HOOK }\n  api: { secret: 0123456789abcdef0123 }\n',
      FILE,
    );
    expect(settings.webhooks).toEqual({
      'web-app': { secretEnv: 'WEB_APP_HOOK' },
      api: { secret: '0123456789abcdef0123' },
    });
  });

  it('leaves webhooks out when the file has none', () => {
    expect(parseLocalSettings('webhooks:\n', FILE).webhooks).toBeUndefined();
  });

  it('needs exactly one of secret and secretEnv', () => {
    expect(errorOf('webhooks:\n  web-app: {}\n').message).toContain(
      'webhooks.web-app: give exactly one of secret and secretEnv',
    );
    expect(errorOf('webhooks:\n  web-app: { secret: 0123456789abcdef, secretEnv: X }\n').message).toContain(
      'give exactly one of secret and secretEnv',
    );
  });

  it('refuses a short secret and an unknown key', () => {
    expect(errorOf('webhooks:\n  web-app: { secret: short }\n').message).toContain(
      'webhooks.web-app.secret: must be at least 16 characters',
    );
    expect(errorOf('webhooks:\n  web-app: { token: x }\n').message).toContain(
      'webhooks.web-app.token: is not a setting; expected one of secret, secretEnv',
    );
  });
});

describe('parseLocalSettings smtp', () => {
  it('reads the SMTP server notification emails go through', () => {
    const settings = parseLocalSettings(
      'smtp:\n  host: smtp.example.com\n  port: 587\n  from: Pipewright <ci@example.com>\n  user: ci\n  password: s3cret\n',
      FILE,
    );
    expect(settings.smtp).toEqual({
      host: 'smtp.example.com',
      port: 587,
      from: 'Pipewright <ci@example.com>',
      user: 'ci',
      password: 's3cret',
    });
  });

  it('leaves smtp out when the file has none', () => {
    expect(parseLocalSettings('smtp:\n', FILE).smtp).toBeUndefined();
  });

  it('needs host, port and from, and a port number', () => {
    expect(errorOf('smtp:\n  port: 25\n  from: ci@example.com\n').message).toContain('smtp.host: is missing');
    expect(errorOf('smtp:\n  host: mail\n  port: mail\n  from: ci@example.com\n').message).toContain(
      'smtp.port: must be a port number',
    );
    expect(errorOf('smtp:\n  host: mail\n  port: 25\n').message).toContain('smtp.from: is missing');
  });

  it('refuses a password without a user and an unknown key', () => {
    expect(errorOf('smtp: { host: mail, port: 25, from: ci@example.com, password: x }\n').message).toContain(
      'smtp.user: a password needs a user',
    );
    expect(errorOf('smtp: { host: mail, port: 25, from: ci@example.com, tls: true }\n').message).toContain(
      'smtp.tls: is not a setting; expected one of host, port, secure, from, user, password',
    );
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

describe('parseLocalSettings aws', () => {
  it('reads the AWS opt-in; an empty aws: opts in with the default credential chain', () => {
    expect(
      parseLocalSettings('aws:\n  profile: dev\n  region: eu-west-1\n', LOCAL_SETTINGS_FILE).aws,
    ).toEqual({
      profile: 'dev',
      region: 'eu-west-1',
    });
    expect(parseLocalSettings('aws:\n', LOCAL_SETTINGS_FILE).aws).toEqual({});
    expect(parseLocalSettings('repositories: {}\n', LOCAL_SETTINGS_FILE).aws).toBeUndefined();
  });

  it('names a wrong region or an unknown key with its line', () => {
    expect(() => parseLocalSettings('aws:\n  region: Mars\n', LOCAL_SETTINGS_FILE)).toThrow(
      'pipewright.local.yaml:2:11 aws.region: must be an AWS region, e.g. eu-west-1',
    );
    expect(() => parseLocalSettings('aws:\n  account: "1"\n', LOCAL_SETTINGS_FILE)).toThrow(
      'aws.account: is not a setting; expected one of profile, region',
    );
  });
});
