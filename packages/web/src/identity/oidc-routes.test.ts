/**
 * Signing in with OpenID Connect against a real provider: `oidc-provider` (a certified OpenID
 * Provider) on 127.0.0.1, driven through its login and consent pages as a browser would.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider from 'oidc-provider';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { readSession, SESSION_COOKIE } from '../dashboard/session.ts';
import { closeWebHarnesses, openWebHarness } from '../web-harness.test-helper.ts';
import { UserDirectory } from './user-directory.ts';
import { parseUsersFile } from './users-yaml.ts';

const APP = 'http://app.pipewright.test';
const SECRET = 'client-secret-for-the-test';
const GROUPS: Record<string, string[]> = { bob: ['release'], eve: ['marketing'] };

let server: Server;
let issuer: string;

beforeAll(async () => {
  server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: 'pipewright',
        client_secret: SECRET,
        redirect_uris: [`${APP}/login/oidc/callback`],
        grant_types: ['authorization_code'],
        response_types: ['code'],
      },
    ],
    claims: { openid: ['sub'], email: ['email'], profile: ['groups'] },
    findAccount: (_ctx, id) => ({
      accountId: id,
      claims: () => ({ sub: id, email: `${id}@example.com`, groups: GROUPS[id] ?? [] }),
    }),
    cookies: { keys: ['cookie-key-for-the-test'] },
    pkce: { required: () => true },
  });
  server.on('request', provider.callback());
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
afterEach(closeWebHarnesses);

/** A browser's cookie jar for one host. */
class Jar {
  readonly #cookies = new Map<string, string>();
  take(res: Response): void {
    for (const line of res.headers.getSetCookie()) {
      const [pair = ''] = line.split(';');
      const at = pair.indexOf('=');
      this.#cookies.set(pair.slice(0, at), pair.slice(at + 1));
    }
  }
  header(): string {
    return [...this.#cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }
  get(name: string): string | undefined {
    return this.#cookies.get(name);
  }
}

/** Signs `login` in at the provider from `start` (the provider's authorization URL); returns the redirect back to the app. */
async function atProvider(start: string, login: string): Promise<string> {
  const jar = new Jar();
  let url = start;
  let body: URLSearchParams | undefined;
  for (let hop = 0; hop < 12; hop++) {
    const res = await fetch(url, {
      method: body === undefined ? 'GET' : 'POST',
      headers: {
        cookie: jar.header(),
        ...(body === undefined ? {} : { 'content-type': 'application/x-www-form-urlencoded' }),
      },
      ...(body === undefined ? {} : { body }),
      redirect: 'manual',
    });
    jar.take(res);
    body = undefined;
    const location = res.headers.get('location');
    if (location !== null) {
      url = new URL(location, url).href;
      if (url.startsWith(APP)) return url;
      continue;
    }
    const page = await res.text();
    const action = /<form[^>]*action="([^"]+)"/.exec(page)?.[1];
    const prompt = /name="prompt" value="([^"]+)"/.exec(page)?.[1];
    if (action === undefined || prompt === undefined)
      throw new Error(`the provider answered ${res.status}: ${page.slice(0, 300)}`);
    url = new URL(action.replaceAll('&amp;', '&'), url).href;
    body = new URLSearchParams(prompt === 'login' ? { prompt, login, password: 'any' } : { prompt });
  }
  throw new Error('the provider never sent the browser back');
}

function users(): UserDirectory {
  const text = `
users:
  - { name: carol@example.com, roles: [operator] }
oidc:
  issuer: ${issuer}
  clientId: pipewright
  clientSecretEnv: OIDC_SECRET
  roles: { release: [approver] }
`;
  return new UserDirectory(parseUsersFile(text, 'pipewright.users.yaml'), 'server-token-0123456789');
}

describe('signing in with OpenID Connect', () => {
  async function signIn(login: string, tamper?: (callback: URL) => void) {
    const h = await openWebHarness();
    const app = h.appWith({ users: users(), oidcClientSecret: SECRET, apiToken: 'server-token-0123456789' });
    const appJar = new Jar();
    const begin = await app.request(`${APP}/login/oidc?next=${encodeURIComponent('/pipelines/web-app')}`);
    appJar.take(begin);
    const back = new URL(await atProvider(begin.headers.get('location') ?? '', login));
    tamper?.(back);
    const done = await app.request(back.href, { headers: { cookie: appJar.header() } });
    appJar.take(done);
    return {
      begin,
      done,
      session: readSession('server-token-0123456789', appJar.get(SESSION_COOKIE), new Date()),
    };
  }

  it('sends the browser to the provider with PKCE, state and nonce, and starts a session with the roles its groups map to', async () => {
    const { begin, done, session } = await signIn('bob');
    const authorize = new URL(begin.headers.get('location') ?? '');
    expect(begin.status).toBe(302);
    expect(authorize.origin).toBe(issuer);
    expect(authorize.searchParams.get('code_challenge_method')).toBe('S256');
    expect(authorize.searchParams.get('state')).toMatch(/.{20,}/);
    expect(authorize.searchParams.get('nonce')).toMatch(/.{20,}/);
    expect(authorize.searchParams.get('redirect_uri')).toBe(`${APP}/login/oidc/callback`);
    expect(done.status).toBe(303);
    expect(done.headers.get('location')).toBe('/pipelines/web-app');
    expect(session).toMatchObject({
      user: 'bob@example.com',
      via: 'oidc',
      roles: ['approver'],
      groups: ['release'],
    });
  });

  it('gives a user the users file lists their roles, and refuses one left without a role', async () => {
    expect((await signIn('carol')).session).toMatchObject({ user: 'carol@example.com', roles: ['operator'] });
    const eve = await signIn('eve');
    expect(eve.done.status).toBe(403);
    expect(await eve.done.text()).toContain(
      'eve@example.com signed in, but the users file gives them no role',
    );
    expect(eve.session).toBeUndefined();
  });

  it('refuses an answer whose state was changed, starting no session', async () => {
    const forged = await signIn('bob', (back) => back.searchParams.set('state', 'forged'));
    expect(forged.done.status).toBe(403);
    expect(await forged.done.text()).toContain('Sign-in failed');
    expect(forged.session).toBeUndefined();
  });

  it('answers 404 where no provider is configured', async () => {
    const h = await openWebHarness();
    expect((await h.app.request('/login/oidc')).status).toBe(404);
  });
});
