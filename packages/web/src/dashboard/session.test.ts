import { describe, expect, it } from 'vitest';
import { csrfToken, fromOwnPages, readSession, signSession, validCsrf } from './session.ts';

const TOKEN = 'api-token-0123456789';
const NOW = new Date('2026-01-09T10:00:00.000Z');

describe('dashboard sessions', () => {
  it('reads back the user of a session it signed, until it expires', () => {
    const value = signSession(TOKEN, 'dana <ops>', NOW, 60);
    expect(readSession(TOKEN, value, NOW)).toEqual({
      user: 'dana <ops>',
      expires: NOW.getTime() / 1000 + 60,
      value,
      via: 'server-token',
      roles: ['admin'],
      groups: [],
    });
    expect(readSession(TOKEN, value, new Date(NOW.getTime() + 59_000))?.user).toBe('dana <ops>');
    expect(readSession(TOKEN, value, new Date(NOW.getTime() + 60_000))).toBeUndefined();
  });

  it('refuses a session made with another token, a changed user or expiry, or garbage', () => {
    const value = signSession(TOKEN, 'dana', NOW);
    const [v, expires, user, claims, mac] = value.split('.');
    const other = Buffer.from('mallory').toString('base64url');
    const promoted = Buffer.from(JSON.stringify({ via: 'oidc', roles: ['admin'], groups: [] })).toString(
      'base64url',
    );
    expect(readSession('another-token', value, NOW)).toBeUndefined();
    expect(readSession(TOKEN, `${v}.${expires}.${other}.${claims}.${mac}`, NOW)).toBeUndefined();
    expect(readSession(TOKEN, `${v}.${Number(expires) + 1}.${user}.${claims}.${mac}`, NOW)).toBeUndefined();
    expect(readSession(TOKEN, `${v}.${expires}.${user}.${promoted}.${mac}`, NOW)).toBeUndefined();
    const v1 = `v1.${expires}.${user}.${mac}`;
    for (const bad of [undefined, '', 'v1', 'v2.1.YQ.e30.x', v1, `${value}x`, 'x'.repeat(3001)]) {
      expect(readSession(TOKEN, bad, NOW), String(bad)).toBeUndefined();
    }
  });

  it('refuses to sign a user name that is empty, too long or has control characters', () => {
    for (const user of ['', 'x'.repeat(65), 'a\nb']) {
      expect(() => signSession(TOKEN, user, NOW), JSON.stringify(user)).toThrow('session user');
    }
  });

  it("gives each session its own CSRF token and accepts only that session's", () => {
    const alice = readSession(TOKEN, signSession(TOKEN, 'alice', NOW), NOW);
    const bob = readSession(TOKEN, signSession(TOKEN, 'bob', NOW), NOW);
    if (alice === undefined || bob === undefined) throw new Error('sessions expected');
    expect(validCsrf(TOKEN, alice, csrfToken(TOKEN, alice))).toBe(true);
    expect(validCsrf(TOKEN, alice, csrfToken(TOKEN, bob))).toBe(false);
    expect(validCsrf(TOKEN, alice, undefined)).toBe(false);
    expect(validCsrf(TOKEN, alice, '')).toBe(false);
  });
});

describe('fromOwnPages', () => {
  const url = 'http://127.0.0.1:4000/pipelines/web-app/release';
  it('accepts the own origin, same-origin fetches and requests that say nothing', () => {
    expect(fromOwnPages({ url, origin: 'http://127.0.0.1:4000' })).toBe(true);
    expect(fromOwnPages({ url, fetchSite: 'same-origin' })).toBe(true);
    expect(fromOwnPages({ url })).toBe(true);
    expect(
      fromOwnPages({
        url,
        origin: 'https://ci.example.com',
        forwardedProto: 'https',
        forwardedHost: 'ci.example.com',
      }),
    ).toBe(true);
  });

  it('refuses other origins, an opaque origin and cross-site fetches', () => {
    expect(fromOwnPages({ url, origin: 'http://127.0.0.1:4001' })).toBe(false);
    expect(fromOwnPages({ url, origin: 'https://evil.example' })).toBe(false);
    expect(fromOwnPages({ url, origin: 'null' })).toBe(false);
    expect(fromOwnPages({ url, fetchSite: 'cross-site' })).toBe(false);
    expect(fromOwnPages({ url, fetchSite: 'same-site' })).toBe(false);
  });
});
