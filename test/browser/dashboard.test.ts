/**
 * The dashboard in a real Chromium against a real `pipewright serve`: releasing a change and
 * watching the execution move live (Server-Sent Events, no reload), approving from the
 * pipeline page, retrying a failed stage, disabling and enabling a transition, the trigger
 * log and the history's filters — and every page checked with axe-core in light and dark,
 * at desktop and phone width, with screenshots under `test-results/dashboard/`.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanupsAfter } from '../support/cleanups.ts';
import { poll } from '../support/poll.ts';
import {
  type DashboardServer,
  fitsWidth,
  launchChromium,
  PIPELINE,
  screenshot,
  seriousViolations,
  serveTestPipeline,
  signedIn,
} from './browser-support.ts';

const cleanups = cleanupsAfter(afterAll);
const TIMEOUT = 120_000;
const WAIT = { timeout: 30_000 };

interface Attempt {
  status: string;
}
interface View {
  pipelineExecutionId: string;
  status: string;
  stages: {
    stageName: string;
    status: string;
    waiting?: { gate: string };
    retries: { actor?: { id: string } }[];
    actions: { actionName: string; status: string; attempts: Attempt[] }[];
  }[];
  approvals: { approvalId: string; status: string; decidedBy?: { id: string }; summary?: string }[];
}

let server: DashboardServer;
let browser: Browser;

async function view(id: string): Promise<View> {
  return (await (await server.api(`/api/executions/${id}`)).json()) as View;
}

async function until(id: string, done: (v: View) => boolean): Promise<View> {
  const last = await poll(() => view(id), done, { timeoutMs: 20_000 });
  if (!done(last))
    throw new Error(`execution ${id} did not get there: ${JSON.stringify(last, null, 1).slice(0, 2000)}`);
  return last;
}

/** Resolves once the page's live stream is open. */
function liveOpen(page: Page): Promise<unknown> {
  return page.waitForFunction(
    () => (globalThis as { pipewrightLive?: { state: string } }).pipewrightLive?.state === 'open',
    null,
    WAIT,
  );
}

const stage = (v: View, name: string) => v.stages.find((s) => s.stageName === name);
const pendingApproval = (v: View) => v.approvals.some((a) => a.status === 'Pending');

/** Opens `path` in a new page of a signed-in context and waits for its live stream when it has one. */
async function open(path: string, user = 'dana'): Promise<{ page: Page; problems: string[] }> {
  const { context, problems } = await signedIn(browser, server, user);
  const page = await context.newPage();
  await page.goto(`${server.serve.base}${path}`);
  if ((await page.locator('body[data-live]').count()) > 0) {
    await liveOpen(page);
  }
  return { page, problems };
}

beforeAll(async () => {
  browser = await launchChromium(cleanups);
  server = await serveTestPipeline(cleanups);
}, TIMEOUT);

describe('the dashboard in Chromium', () => {
  it(
    'releases a change with a variable override and shows the execution move live, without a reload',
    async () => {
      // Prepare
      const { page, problems } = await open(`/pipelines/${PIPELINE}`);
      let navigations = 0;
      page.on('framenavigated', (frame) => {
        if (frame === page.mainFrame()) navigations++;
      });

      // Act: release a change from the pipeline page.
      await page.getByText('Release change', { exact: false }).first().click();
      await page.getByLabel('TARGET').fill('production');
      await Promise.all([
        page.waitForURL(/\/executions\/[^/?]+\?done=released$/, WAIT),
        page.getByRole('button', { name: 'Release change' }).click(),
      ]);
      const executionId = /executions\/([^/?]+)/.exec(page.url())?.[1] ?? '';
      await liveOpen(page);
      await page.locator('svg[aria-label^="Compile: In progress"]').waitFor(WAIT);
      await page.locator('#log-Build-Compile pre').getByText('compiling for production').waitFor(WAIT);
      await page.evaluate('window.sameDocument = true');
      const before = navigations;
      await screenshot(page, 'execution-running');
      server.release(executionId);

      // Assess: the page changes by itself — Compile succeeded, the approval waits — in the same document.
      await page.locator('svg[aria-label^="Compile: Succeeded"]').waitFor(WAIT);
      await page.getByRole('button', { name: 'Approve' }).waitFor(WAIT);
      await page.locator('#log-Build-Compile pre').getByText('compiled for production').waitFor(WAIT);
      expect(await page.evaluate('window.sameDocument')).toBe(true);
      expect(navigations).toBe(before);
      expect(await page.evaluate('window.pipewrightLive.patches')).toBeGreaterThan(0);
      expect(await page.locator('#data').textContent()).toContain('production');
      expect(await page.locator('#events').textContent()).toContain('ActionSucceeded');
      await screenshot(page, 'execution-waiting-for-approval');
      expect(problems).toEqual([]);
    },
    TIMEOUT,
  );

  it(
    'approves from the pipeline page, recorded with the signed-in user and the comment',
    async () => {
      // Prepare: an execution waiting for its approval.
      const id = await server.start();
      server.release(id);
      await until(id, pendingApproval);
      const { page, problems } = await open(`/pipelines/${PIPELINE}`, 'erin');
      const card = page.locator('#approvals article').filter({ hasText: id.slice(0, 8) });
      await card.waitFor(WAIT);
      await screenshot(page, 'pipeline-approval-waiting');

      // Act
      await card.getByLabel(/Comment/).fill('ship it from the browser');
      await Promise.all([
        page.waitForURL(/done=approved/, WAIT),
        card.getByRole('button', { name: 'Approve' }).click(),
      ]);
      const final = await until(id, (v) => v.status === 'Succeeded');

      // Assess
      expect(final.approvals[0]).toMatchObject({
        status: 'Approved',
        decidedBy: { id: 'erin' },
        summary: 'ship it from the browser',
      });
      await page.getByRole('status').filter({ hasText: 'Approved.' }).waitFor(WAIT);
      await page
        .locator('#recent tr')
        .filter({ hasText: id.slice(0, 8) })
        .filter({ hasText: 'Succeeded' })
        .waitFor(WAIT);
      expect(problems).toEqual([]);
    },
    TIMEOUT,
  );

  it(
    'retries a failed stage from the execution page, and the page shows the retried attempt succeed live',
    async () => {
      // Prepare: an execution whose Build failed.
      const id = await server.start();
      server.release(id, true);
      await until(id, (v) => stage(v, 'Build')?.status === 'Failed');
      const { page, problems } = await open(`/pipelines/${PIPELINE}/executions/${id}`, 'frank');
      await page.locator('#exec-status').getByText('Failed').waitFor(WAIT);
      await page.locator('#log-Build-Compile pre').getByText('failing on purpose').waitFor(WAIT);
      await screenshot(page, 'execution-failed');
      // The retried attempt waits at its gate again, until the page listens.
      rmSync(join(server.gates, `fail-${id}`));
      rmSync(join(server.gates, `go-${id}`));

      // Act: retry, and once the page after the retry listens, let the attempt go on.
      await Promise.all([
        page.waitForURL(/done=retried/, WAIT),
        page.getByRole('button', { name: 'Retry failed actions of Build' }).click(),
      ]);
      await liveOpen(page);
      await page.locator('svg[aria-label^="Compile: In progress"]').waitFor(WAIT);
      await page.evaluate('window.sameDocument = true');
      const patchesBefore = (await page.evaluate('window.pipewrightLive.patches')) as number;
      server.release(id);

      // Assess: the retried attempt succeeds and the same document shows it (no reload).
      await page.getByRole('button', { name: 'Approve' }).waitFor(WAIT);
      await page
        .locator('svg[aria-label^="Compile: Succeeded"][aria-label$="over 2 attempts"]')
        .waitFor(WAIT);
      expect(await page.evaluate('window.sameDocument')).toBe(true);
      expect(await page.evaluate('window.pipewrightLive.patches')).toBeGreaterThan(patchesBefore);
      const after = await until(id, pendingApproval);
      expect(stage(after, 'Build')?.status).toBe('Succeeded');
      expect(stage(after, 'Build')?.retries[0]?.actor?.id).toBe('frank');
      expect(problems).toEqual([]);
    },
    TIMEOUT,
  );

  it(
    'disables a transition from the pipeline page: an execution waits in front of it until it is enabled',
    async () => {
      // Prepare
      const { page, problems } = await open(`/pipelines/${PIPELINE}`, 'gus');
      const deploy = page.locator('#transition-Deploy');

      // Act: disable the transition into Deploy.
      await deploy.getByText('Disable this transition').click();
      await deploy.getByLabel('Reason to disable').fill('release freeze');
      await Promise.all([
        page.waitForURL(/done=disabled/, WAIT),
        deploy.getByRole('button', { name: 'Disable transition' }).click(),
      ]);
      await page.locator('#transition-Deploy').getByText('release freeze').waitFor(WAIT);
      expect(await page.locator('#transition-Deploy').textContent()).toContain('disabled by gus');
      const id = await server.start();
      server.release(id);
      await until(id, pendingApproval);
      const decided = await server.api(`/api/executions/${id}/approvals`, {
        method: 'POST',
        body: JSON.stringify({ status: 'Approved' }),
      });
      expect(decided.status).toBe(200);
      const waiting = await until(id, (v) => stage(v, 'Deploy')?.waiting !== undefined);
      // The board shows it waiting in front of Deploy, live.
      await page
        .locator('section', { has: page.getByRole('heading', { name: 'Deploy' }) })
        .getByText(id.slice(0, 8))
        .first()
        .waitFor(WAIT);
      await screenshot(page, 'pipeline-transition-disabled');
      await Promise.all([
        page.waitForURL(/done=enabled/, WAIT),
        page.locator('#transition-Deploy').getByRole('button', { name: 'Enable transition' }).click(),
      ]);
      const final = await until(id, (v) => v.status === 'Succeeded');

      // Assess
      expect(stage(waiting, 'Deploy')?.status).toBe('NotStarted');
      expect(final.status).toBe('Succeeded');
      expect(await page.locator('#transition-Deploy').textContent()).toContain('enabled');
      expect(problems).toEqual([]);
    },
    TIMEOUT,
  );

  it(
    'shows every trigger in the trigger log with why it did or did not start an execution, live',
    async () => {
      // Prepare
      const filtered = await server.push('feature/x', 'delivery-filtered');
      expect(filtered.status).toBe(202);
      const { page, problems } = await open(`/pipelines/${PIPELINE}/triggers`);
      await page
        .locator('#triggers tr')
        .filter({ hasText: 'Filtered out' })
        .filter({ hasText: 'feature/x' })
        .waitFor(WAIT);

      // Act: a push to main arrives while the page is open.
      const matched = (await (await server.push('main', 'delivery-main')).json()) as { executionId?: string };
      server.release(matched.executionId ?? '');

      // Assess
      const row = page.locator('#triggers tr').filter({ hasText: 'delivery-main' });
      await row.filter({ hasText: 'Started' }).waitFor(WAIT);
      expect(await row.textContent()).toContain((matched.executionId ?? '').slice(0, 8));
      expect(await page.locator('#triggers').textContent()).toMatch(/feature\/x.*not included/s);
      await screenshot(page, 'triggers');
      expect(problems).toEqual([]);
    },
    TIMEOUT,
  );

  it(
    'filters the history by status, trigger and branch, and charts durations',
    async () => {
      // Prepare: a failed execution, and one a push to main started (this test's own).
      const failed = await server.start();
      server.release(failed, true);
      const pushed = (await (await server.push('main', 'delivery-history')).json()) as {
        executionId?: string;
      };
      const webhook = pushed.executionId ?? '';
      expect(webhook).not.toBe('');
      server.release(webhook);
      await until(failed, (v) => v.status === 'Failed');
      await until(webhook, pendingApproval);
      const { page, problems } = await open(`/pipelines/${PIPELINE}/history`);
      await page.locator('svg.trend').waitFor(WAIT);

      // Act
      await page.getByLabel('Status').selectOption('Failed');
      await Promise.all([
        page.waitForURL(/status=Failed/, WAIT),
        page.getByRole('button', { name: 'Filter' }).click(),
      ]);
      const failedRows = await page.locator('#history tbody tr').allTextContents();
      await page.getByLabel('Status').selectOption('');
      await page.getByLabel('Trigger').selectOption('WebhookV2');
      await page.getByLabel('Branch').fill('main');
      await Promise.all([
        page.waitForURL(/trigger=WebhookV2/, WAIT),
        page.getByRole('button', { name: 'Filter' }).click(),
      ]);
      const webhookRows = await page.locator('#history tbody tr').allTextContents();

      // Assess
      expect(failedRows.length).toBeGreaterThan(0);
      expect(failedRows.every((r) => r.includes('Failed'))).toBe(true);
      expect(failedRows.join()).toContain(failed.slice(0, 8));
      expect(webhookRows.every((r) => r.includes('WebhookV2') && r.includes('main'))).toBe(true);
      expect(webhookRows.join()).toContain(webhook.slice(0, 8));
      expect(webhookRows.join()).not.toContain(failed.slice(0, 8));
      await screenshot(page, 'history-filtered');
      expect(problems).toEqual([]);
    },
    TIMEOUT,
  );

  it(
    'passes axe-core on every page, light and dark, at 1280 and 375 px, with no CSP violation',
    async () => {
      // Prepare: an execution waiting for approval (its review page) and one with history.
      const id = await server.start();
      server.release(id);
      await until(id, pendingApproval);
      const [link] = await server.serve.waitFor(
        new RegExp(`http://127\\.0\\.0\\.1:\\d+/approvals/${id}\\S+`),
      );
      const pages = [
        ['pipelines', '/'],
        ['pipeline', `/pipelines/${PIPELINE}`],
        ['execution', `/pipelines/${PIPELINE}/executions/${id}`],
        ['history', `/pipelines/${PIPELINE}/history`],
        ['triggers', `/pipelines/${PIPELINE}/triggers`],
        ['approval', new URL(link).pathname + new URL(link).search],
        ['not-found', '/pipelines/nope'],
      ] as const;
      const found: string[] = [];
      const overflowing: string[] = [];
      const allProblems: string[] = [];

      // Act
      for (const dark of [false, true]) {
        for (const width of [1280, 375]) {
          const { context, problems } = await signedIn(browser, server, 'axe', { width, dark });
          const page = await context.newPage();
          const name = `${dark ? 'dark' : 'light'}-${width}`;
          for (const [label, path] of pages) {
            await page.goto(`${server.serve.base}${path}`);
            if ((await page.locator('body[data-live]').count()) > 0) {
              await liveOpen(page);
            }
            for (const v of await seriousViolations(page))
              found.push(`${label} ${name}: ${v.id} ${v.help} ${v.nodes.join(' | ')}`);
            if (!(await fitsWidth(page))) overflowing.push(`${label} ${name}`);
            await screenshot(page, `${label}-${name}`);
          }
          const anonymous = await browser.newContext({
            viewport: { width, height: 900 },
            colorScheme: dark ? 'dark' : 'light',
          });
          const login = await anonymous.newPage();
          await login.goto(`${server.serve.base}/pipelines/${PIPELINE}`);
          expect(login.url()).toContain('/login?next=');
          for (const v of await seriousViolations(login))
            found.push(`login ${name}: ${v.id} ${v.help} ${v.nodes.join(' | ')}`);
          await screenshot(login, `login-${name}`);
          await anonymous.close();
          allProblems.push(...problems);
          await context.close();
        }
      }

      // Assess
      expect(found).toEqual([]);
      expect(overflowing).toEqual([]);
      expect(allProblems).toEqual([]);
    },
    TIMEOUT * 2,
  );

  it(
    'is usable with the keyboard: the first Tab reaches "Skip to content", which moves focus to the main content',
    async () => {
      const { page } = await open(`/pipelines/${PIPELINE}`);
      await page.keyboard.press('Tab');
      expect(await page.evaluate('document.activeElement.textContent')).toBe('Skip to content');
      await page.keyboard.press('Enter');
      expect(await page.evaluate('document.activeElement.id')).toBe('main');
    },
    TIMEOUT,
  );
});
