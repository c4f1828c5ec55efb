import { describe, expect, it } from 'vitest';
import { can } from './identity.ts';
import { newApiToken, tokenHash, UserDirectory } from './user-directory.ts';
import { parseUsersFile } from './users-yaml.ts';

const SERVER = 'server-token-0123456789';
const ALICE = newApiToken();

const FILE = parseUsersFile(
  `
users:
  - { name: alice, roles: [admin], tokens: ['${tokenHash(ALICE)}'] }
  - { name: olga, roles: [operator] }
  - { name: bob, roles: [approver], groups: [release] }
approvals:
  - actions: ['web-app/Prod/*', 'api/*/Release']
    users: [carol@example.com]
    groups: [release]
oidc:
  issuer: https://login.example.com
  clientId: pipewright
  roles: { release: [approver], platform: [operator, viewer] }
`,
  'pipewright.users.yaml',
);

describe('UserDirectory', () => {
  const directory = new UserDirectory(FILE, SERVER);

  it("resolves a user's own token by its hash, and the server token to its owner (an admin who may name whom they act for)", () => {
    expect(directory.byToken(ALICE)).toEqual({ user: 'alice', roles: ['admin'], groups: [], via: 'token' });
    expect(directory.byToken(`${ALICE}x`)).toBeUndefined();
    expect(directory.byToken('')).toBeUndefined();
    expect(directory.byToken(SERVER)).toMatchObject({ user: 'api', roles: ['admin'], via: 'server-token' });
    expect(directory.byToken(SERVER, 'dana')?.user).toBe('dana');
    expect(directory.byToken(ALICE, 'dana')?.user).toBe('alice');
  });

  it('grants permissions by role', () => {
    const olga = directory.listed('olga');
    const bob = directory.listed('bob');
    if (olga === undefined || bob === undefined) throw new Error('listed users expected');
    expect([can(olga, 'read'), can(olga, 'operate'), can(olga, 'approve')]).toEqual([true, true, false]);
    expect([can(bob, 'read'), can(bob, 'operate'), can(bob, 'approve')]).toEqual([true, false, true]);
  });

  it('maps OpenID Connect groups to roles, and refuses a sign-in that leaves no role', () => {
    expect(directory.fromClaims('carol@example.com', ['release'])).toEqual({
      user: 'carol@example.com',
      roles: ['approver'],
      groups: ['release'],
      via: 'oidc',
    });
    expect(directory.fromClaims('bob', [])?.roles).toEqual(['approver']);
    expect(directory.fromClaims('eve@example.com', ['marketing'])).toBeUndefined();
  });

  it('lets approvers decide approvals no rule names, and only the named users or groups where one does', () => {
    const carol = directory.fromClaims('carol@example.com', ['release']);
    const dave = directory.fromClaims('dave@example.com', ['platform']);
    const erin = { user: 'erin', roles: ['approver'] as const, groups: [], via: 'token' as const };
    const admin = directory.byToken(SERVER);
    if (carol === undefined || dave === undefined || admin === undefined)
      throw new Error('identities expected');
    const prod = { pipeline: 'web-app', stageName: 'Prod', actionName: 'Approve' };
    const staging = { pipeline: 'web-app', stageName: 'Staging', actionName: 'Approve' };
    expect(directory.mayDecide(carol, prod)).toBe(true);
    expect(directory.mayDecide(erin, prod)).toBe(false);
    expect(directory.mayDecide(admin, prod)).toBe(false);
    expect(directory.mayDecide(erin, staging)).toBe(true);
    expect(directory.mayDecide(dave, staging)).toBe(false);
    expect(directory.mayDecide(erin, { pipeline: 'api', stageName: 'Any', actionName: 'Release' })).toBe(
      false,
    );
  });
});

describe('parseUsersFile', () => {
  it('reports every problem with its path and what to do', () => {
    const text = `
users:
  - { name: alice, roles: [root], tokens: [plain-token] }
  - { name: alice, roles: [] }
approvals:
  - { actions: ['x/y/z'] }
`;
    expect(() => parseUsersFile(text, 'u.yaml')).toThrow(
      /u\.yaml: users\.0\.roles\.0: .*\n.*u\.yaml: users\.0\.tokens\.0: a token hash "sha256:<64 hex digits>"/,
    );
    expect(() => parseUsersFile(text, 'u.yaml')).toThrow(/users\.1\.roles: give the user at least one role/);
    expect(() => parseUsersFile(text, 'u.yaml')).toThrow(/approvals\.0: name the users or groups/);
    expect(() =>
      parseUsersFile('users: [{ name: a, roles: [viewer] }, { name: a, roles: [viewer] }]', 'u.yaml'),
    ).toThrow('u.yaml: users.1.name: "a" is listed twice');
    expect(() => parseUsersFile('users: [', 'u.yaml')).toThrow('u.yaml: not valid YAML');
  });
});
