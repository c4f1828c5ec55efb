/**
 * `pipewright serve` stops when told to (SIGTERM, SIGINT) while a dashboard tab listens to its
 * live updates: the Server-Sent Events stream is a response that never ends by itself, so the
 * server must end it (and drop the connections still open) instead of waiting for it.
 */
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cleanupsAfter } from '../support/cleanups.ts';
import { poll } from '../support/poll.ts';
import { readApiToken } from '../support/serve-api.ts';
import { startServe } from '../support/serve-process.ts';
import { copyExample, tempDirSync } from '../support/temp-dirs.ts';

const cleanups = cleanupsAfter(afterAll);

/** Signs in to the dashboard the way its login form does; the session cookie. */
async function signIn(base: string, token: string): Promise<string> {
  const res = await fetch(`${base}/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: base },
    body: new URLSearchParams({ token, user: 'tab', next: '/' }).toString(),
  });
  expect(res.status).toBe(303);
  return (res.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
}

describe('pipewright serve with a dashboard tab open', () => {
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    it(`exits on ${signal} while a live stream is open, and ends the stream`, async () => {
      // Prepare: a server, and a live stream of the dashboard's overview that has started.
      const cwd = tempDirSync(cleanups, 'pipewright-serve-stop-');
      copyExample('web-app', join(cwd, 'web-app'));
      const serve = await startServe({ cwd, dir: 'web-app', cleanups });
      const cookie = await signIn(serve.base, readApiToken(cwd));
      const live = await fetch(`${serve.base}/dashboard/live?view=overview`, { headers: { cookie } });
      expect(live.status).toBe(200);
      const reader = (live.body as ReadableStream<Uint8Array>).getReader();
      const first = await reader.read();
      expect(new TextDecoder().decode(first.value)).toContain(': connected to overview');
      let streamEnded = false;
      const draining = (async () => {
        try {
          while (!(await reader.read()).done);
        } catch {
          // the connection was dropped: the stream is over too
        }
        streamEnded = true;
      })();
      const exit = new Promise<number | null>((done) => serve.child.once('exit', (code) => done(code)));

      // Act
      serve.child.kill(signal);
      const exited = await poll(
        () => serve.child.exitCode !== null || serve.child.signalCode !== null,
        (done) => done,
        { timeoutMs: 20_000 },
      );

      // Assess
      expect(exited, `serve did not exit after ${signal}: ${serve.transcript.text}`).toBe(true);
      expect(await exit).toBe(0);
      await draining;
      expect(streamEnded).toBe(true);
      expect(serve.output.text).toContain('Stopping:');
    });
  }
});
