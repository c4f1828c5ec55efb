import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LocalSettingsError } from '../errors.ts';
import { webhookSecret, webhookSecretFile } from './webhook-secret.ts';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pw-webhook-secret-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('webhookSecret', () => {
  it('makes a secret on first use and keeps it in the state directory', async () => {
    const stateDir = join(dir, '.pipewright');
    const first = webhookSecret(stateDir, 'web-app');
    expect(first).toMatch(/^[0-9a-f]{64}$/);
    expect(webhookSecret(stateDir, 'web-app')).toBe(first);
    expect(webhookSecret(stateDir, 'other')).not.toBe(first);
    const file = webhookSecretFile(stateDir, 'web-app');
    expect((await readFile(file, 'utf8')).trim()).toBe(first);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
  });

  it('takes the configured secret or environment variable', () => {
    expect(webhookSecret(dir, 'web-app', { secret: 'from-the-settings-file' })).toBe(
      'from-the-settings-file',
    );
    expect(webhookSecret(dir, 'web-app', { secretEnv: 'HOOK' }, { HOOK: 'from-env' })).toBe('from-env');
  });

  it('says which environment variable is missing', () => {
    expect(() => webhookSecret(dir, 'web-app', { secretEnv: 'HOOK' }, {})).toThrow(LocalSettingsError);
    expect(() => webhookSecret(dir, 'web-app', { secretEnv: 'HOOK' }, {})).toThrow(
      'webhooks.web-app.secretEnv: the environment variable HOOK is not set',
    );
  });

  it('refuses a name that is no pipeline name', () => {
    expect(() => webhookSecretFile(dir, '../x')).toThrow(TypeError);
  });
});
