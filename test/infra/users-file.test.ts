import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadDeployedUsers } from '@pipewright/aws';
import { tokenHash } from '@pipewright/web';
import { afterAll, describe, expect, it } from 'vitest';
import { deployUsersFile } from '../../infra/users-file.ts';
import { cleanupsAfter } from '../support/cleanups.ts';
import { tempDirSync } from '../support/temp-dirs.ts';

const cleanups = cleanupsAfter(afterAll);

function dirs() {
  const root = tempDirSync(cleanups, 'pipewright-users-deploy-');
  const pipelines = join(root, 'pipelines');
  const deployed = join(root, 'deployed');
  mkdirSync(pipelines);
  mkdirSync(deployed);
  return { pipelines, deployed };
}

describe('the users file at deploy', () => {
  it('is validated and written for the HTTP function, which verifies its users from it', () => {
    const { pipelines, deployed } = dirs();
    writeFileSync(
      join(pipelines, 'pipewright.users.yaml'),
      `# approvers\nusers:\n  - { name: bob, roles: [approver], tokens: ['${tokenHash('bob-token')}'] }\n`,
    );
    deployUsersFile(pipelines, deployed);
    const users = loadDeployedUsers(deployed, 'server-token');
    expect(users?.byToken('bob-token')).toMatchObject({ user: 'bob', roles: ['approver'], via: 'token' });
    expect(readFileSync(join(deployed, 'users.json'), 'utf8')).not.toContain('bob-token');
  });

  it('refuses a file that is not valid or needs a client secret, and removes a stale copy when the file is gone', () => {
    const { pipelines, deployed } = dirs();
    const file = join(pipelines, 'pipewright.users.yaml');
    writeFileSync(file, 'users:\n  - { name: bob, roles: [root] }\n');
    expect(() => deployUsersFile(pipelines, deployed)).toThrow(
      'pipelines/pipewright.users.yaml: users.0.roles.0',
    );
    writeFileSync(
      file,
      'oidc: { issuer: "https://login.example.com", clientId: pw, clientSecretEnv: SECRET }\n',
    );
    expect(() => deployUsersFile(pipelines, deployed)).toThrow('register a public client');
    writeFileSync(join(deployed, 'users.json'), '{}');
    writeFileSync(file, 'users: []\n');
    expect(existsSync(join(deployed, 'users.json'))).toBe(true);
    deployUsersFile(pipelines, deployed);
    expect(JSON.parse(readFileSync(join(deployed, 'users.json'), 'utf8'))).toEqual({
      users: [],
      approvals: [],
    });
    rmSync(file);
    deployUsersFile(pipelines, deployed);
    expect(existsSync(join(deployed, 'users.json'))).toBe(false);
  });

  it('makes the HTTP function refuse a deployed users file it cannot read (PW6520), and serve the API token alone without one', () => {
    const { deployed } = dirs();
    expect(loadDeployedUsers(deployed, 'server-token')).toBeUndefined();
    writeFileSync(join(deployed, 'users.json'), '{"users":[{"name":"x"}]}');
    expect(() => loadDeployedUsers(deployed, 'server-token')).toThrow(
      /PW6520.*fix pipelines\/pipewright\.users\.yaml/,
    );
    writeFileSync(join(deployed, 'users.json'), 'not json');
    expect(() => loadDeployedUsers(deployed, 'server-token')).toThrow('is not JSON');
  });
});
