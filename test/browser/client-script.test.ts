/**
 * The dashboard's client script in a real Chromium against a small scripted server (a real
 * HTTP server on 127.0.0.1 whose answers the test controls): a live stream the server ends on
 * purpose (`bye`) is opened again at once, naming the generation the page shows; a stream that
 * drops is reconnected by the browser with `Last-Event-ID`; an interrupted log resumes from the
 * last byte it got.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLIENT_SCRIPT } from '../../packages/web/src/dashboard/client-script.ts';
import { cleanupsAfter } from '../support/cleanups.ts';
import { launchChromium } from './browser-support.ts';

const cleanups = cleanupsAfter(afterAll);
const WAIT = { timeout: 15_000 };
const FIRST_PART = 'part one ü\n';

const PAGE = `<!doctype html><html lang="en"><head><title>t</title></head>
<body data-live="overview" data-gen="page-gen">
<p id="live-state"></p>
<div id="a" data-region>from the page</div>
<details id="log-Build-Compile" data-log="/log?follow=1" open><pre data-keep="0.1"></pre></details>
<script src="/dashboard/app.js"></script>
</body></html>`;

/** What the scripted server was asked. */
interface Asked {
  live: { gen: string | null; lastEventId: string | undefined }[];
  logs: (string | null)[];
}

function patch(id: string, markup: string): string {
  return `id: ${id}\nevent: patch\ndata: ${JSON.stringify({ regions: { a: markup }, gen: id })}\n\n`;
}

/**
 * Live: the 1st stream sends patch g1 and then `bye` (with a 60 s retry, so only the bye makes
 * the browser come back soon); the 2nd sends patch g2 and drops (retry 100 ms); the 3rd sends
 * patch g3 and stays open. Log: the 1st read sends part one and drops; the next sends part two.
 */
function scripted(asked: Asked) {
  const open: ServerResponse[] = [];
  return {
    open,
    handle(req: IncomingMessage, res: ServerResponse): void {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      if (url.pathname === '/page') {
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(PAGE);
      } else if (url.pathname === '/dashboard/app.js') {
        res.writeHead(200, { 'content-type': 'text/javascript' }).end(CLIENT_SCRIPT);
      } else if (url.pathname === '/dashboard/live') {
        const header = req.headers['last-event-id'];
        asked.live.push({
          gen: url.searchParams.get('gen'),
          lastEventId: typeof header === 'string' ? header : undefined,
        });
        res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store' });
        const n = asked.live.length;
        if (n === 1) res.end(`retry: 60000\n\n${patch('g1', 'first patch')}event: bye\ndata: {}\n\n`);
        else if (n === 2) res.end(`retry: 100\n\n${patch('g2', 'second patch')}`);
        else {
          res.write(`retry: 60000\n\n${patch(`g${n}`, 'third patch')}`);
          open.push(res);
        }
      } else if (url.pathname === '/log') {
        asked.logs.push(url.searchParams.get('from'));
        res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' });
        if (asked.logs.length === 1) {
          res.write(FIRST_PART);
          setTimeout(() => res.socket?.destroy(), 200);
        } else res.end('part two\n');
      } else res.writeHead(404).end();
    },
  };
}

let browser: Browser;

beforeAll(async () => {
  browser = await launchChromium(cleanups);
}, 60_000);

/** Serves the scripted server on a free port; its address and what it was asked. */
async function serveScripted(): Promise<{ base: string; asked: Asked }> {
  const asked: Asked = { live: [], logs: [] };
  const server = scripted(asked);
  const http = createServer((req, res) => server.handle(req, res));
  await new Promise<void>((ready) => http.listen(0, '127.0.0.1', ready));
  cleanups.add(
    () =>
      new Promise<void>((closed) => {
        for (const res of server.open) res.end();
        http.closeAllConnections();
        http.close(() => closed());
      }),
  );
  return { base: `http://127.0.0.1:${(http.address() as AddressInfo).port}`, asked };
}

/** Opens the scripted page; page errors go into `errors`. */
async function openPage(base: string): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage();
  cleanups.add(() => page.close());
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${base}/page`);
  return { page, errors };
}

describe('the dashboard client script', () => {
  it('reconnects at once after bye, naming the last patch’s generation; a dropped stream comes back with Last-Event-ID', async () => {
    // Prepare
    const { base, asked } = await serveScripted();

    // Act
    const { page, errors } = await openPage(base);
    await page.locator('#a').getByText('third patch').waitFor(WAIT);

    // Assess
    expect(asked.live).toEqual([
      { gen: 'page-gen', lastEventId: undefined },
      { gen: 'g1', lastEventId: undefined },
      { gen: 'g1', lastEventId: 'g2' },
    ]);
    expect(await page.evaluate('window.pipewrightLive.reconnects')).toBe(1);
    expect(errors).toEqual([]);
  });

  it('resumes an interrupted log from the last byte it got', async () => {
    // Prepare
    const { base, asked } = await serveScripted();

    // Act
    const { page, errors } = await openPage(base);
    await page.locator('pre').getByText('part two').waitFor(WAIT);

    // Assess
    expect(await page.locator('pre').textContent()).toBe(`${FIRST_PART}part two\n`);
    expect(asked.logs).toEqual([null, String(new TextEncoder().encode(FIRST_PART).length)]);
    expect(await page.locator('pre').getAttribute('data-loading')).toBeNull();
    expect(errors).toEqual([]);
  });
});
