/**
 * Driving the dashboard in a real Chromium (Debian's `chromium`, through `playwright-core`):
 * launching it, a `pipewright serve` with a small pipeline whose Commands actions wait for
 * marker files (so a test decides when each execution moves on), signing in, axe-core checks,
 * and screenshots under `test-results/dashboard/`.
 */
import { createHmac } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import type { Cleanups } from '../support/cleanups.ts';
import { gitIn } from '../support/git.ts';
import { REPO_ROOT } from '../support/paths.ts';
import { readApiToken } from '../support/serve-api.ts';
import { type ServeProcess, startServe } from '../support/serve-process.ts';
import { tempDirSync } from '../support/temp-dirs.ts';

/** Where Debian installs Chromium. */
export const CHROMIUM = '/usr/bin/chromium';

/**
 * How the tests and the dashboard bench start Debian's Chromium: headless, no sandbox (as root),
 * and none of its background network calls (this machine's network refuses them).
 *
 * @example
 * ```ts
 * const browser = await chromium.launch(CHROMIUM_LAUNCH);
 * ```
 */
export const CHROMIUM_LAUNCH = {
  executablePath: CHROMIUM,
  headless: true,
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ],
};

/** Where screenshots go. */
export const SCREENSHOTS = join(REPO_ROOT, 'test-results/dashboard');

/**
 * Launches headless Chromium; fails with how to install it when it is missing.
 *
 * @example
 * ```ts
 * const browser = await launchChromium(cleanups);
 * ```
 */
export async function launchChromium(cleanups: Cleanups): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `the browser tests need Chromium at ${CHROMIUM}; install it with "sudo apt-get install -y chromium" (Debian/Ubuntu) — .ci/run does this before npm run verify`,
    );
  }
  const browser = await chromium.launch(CHROMIUM_LAUNCH);
  cleanups.add(() => browser.close());
  return browser;
}

/** The served pipeline's name. */
export const PIPELINE = 'shop';

/**
 * The test pipeline: Source/Git → Build (a Commands action that waits for `go-<execution>`
 * or `go-all` in the gate directory, then fails if `fail-<execution>` is there) → a manual
 * approval → Deploy (a Commands action).
 */
function pipelineYaml(gates: string): string {
  return `name: ${PIPELINE}
executionMode: PARALLEL
variables:
  GATES: ${JSON.stringify(gates)}
  TARGET: staging
triggers:
  - git:
      source: Checkout
      push:
        - branches: [main]
stages:
  - name: Source
    actions:
      - name: Checkout
        type: Source/Git
        configuration: { RepositoryUrl: ./repo, BranchName: main }
        outputs: [SourceOutput]
        namespace: SourceVariables
  - name: Build
    actions:
      - name: Compile
        type: Build/Commands
        inputs: [SourceOutput]
        env: { GATES: "#{variables.GATES}", TARGET: "#{variables.TARGET}" }
        commands:
          - 'echo "compiling for $TARGET"'
          - 'until [ -e "$GATES/go-$PW_codepipeline_PipelineExecutionId" ] || [ -e "$GATES/go-all" ]; do sleep 0.1; done'
          - 'if [ -e "$GATES/fail-$PW_codepipeline_PipelineExecutionId" ]; then echo "failing on purpose"; exit 1; fi'
          - 'echo "compiled for $TARGET"'
  - name: Approval
    actions:
      - name: Release
        type: Approval/Manual
        configuration: { CustomData: "Ship #{SourceVariables.CommitId} to #{variables.TARGET}?" }
  - name: Deploy
    actions:
      - name: Ship
        type: Test/Commands
        inputs: [SourceOutput]
        commands:
          - 'echo shipped'
`;
}

/** A running server with the test pipeline. */
export interface DashboardServer {
  serve: ServeProcess;
  cwd: string;
  token: string;
  gates: string;
  /** Lets the execution's Build action go on (`failing`: and fail). */
  release(executionId: string, failing?: boolean): void;
  /** Makes the execution's Build action fail once released. */
  failNext(executionId: string): void;
  /** An authorized API call. */
  api(path: string, init?: RequestInit): Promise<Response>;
  /** Starts an execution through the API. */
  start(variables?: Record<string, string>): Promise<string>;
  /** Delivers a signed GitHub push of `branch` to the pipeline's webhook. */
  push(branch: string, deliveryId: string): Promise<Response>;
}

/**
 * A fresh directory with a git repository and the test pipeline, served by `pipewright serve`.
 *
 * @example
 * ```ts
 * const server = await serveTestPipeline(cleanups);
 * const id = await server.start();
 * server.release(id);
 * ```
 */
export async function serveTestPipeline(cleanups: Cleanups): Promise<DashboardServer> {
  const cwd = tempDirSync(cleanups, 'pipewright-browser-');
  const gates = join(cwd, 'gates');
  mkdirSync(gates);
  const dir = join(cwd, 'pipelines');
  const repo = join(dir, 'repo');
  mkdirSync(repo, { recursive: true });
  const git = gitIn(repo);
  git('init', '-q', '-b', 'main');
  writeFileSync(join(repo, 'README.md'), '# shop\n');
  git('add', '-A');
  git('commit', '-q', '-m', 'Initial commit of the shop');
  writeFileSync(join(dir, 'pipeline.yaml'), pipelineYaml(gates));
  const serve = await startServe({ cwd, dir: 'pipelines', cleanups });
  const token = readApiToken(cwd);
  const api = (path: string, init: RequestInit = {}) =>
    fetch(`${serve.base}${path}`, {
      ...init,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...init.headers },
    });
  const head = git('rev-parse', 'HEAD');
  return {
    serve,
    cwd,
    token,
    gates,
    release(executionId, failing = false) {
      if (failing) writeFileSync(join(gates, `fail-${executionId}`), '');
      writeFileSync(join(gates, `go-${executionId}`), '');
    },
    failNext(executionId) {
      writeFileSync(join(gates, `fail-${executionId}`), '');
    },
    api,
    async start(variables) {
      const res = await api(`/api/pipelines/${PIPELINE}/executions`, {
        method: 'POST',
        body: JSON.stringify(variables === undefined ? {} : { variables }),
      });
      if (res.status !== 201) throw new Error(`start answered ${res.status}: ${await res.text()}`);
      return ((await res.json()) as { executionId: string }).executionId;
    },
    push(branch, deliveryId) {
      const secret = readFileSync(join(cwd, `.pipewright/webhook-secret-${PIPELINE}`), 'utf8').trim();
      const body = JSON.stringify({
        ref: `refs/heads/${branch}`,
        before: '0'.repeat(40),
        after: head,
        repository: { full_name: 'example/shop', name: 'shop' },
        head_commit: { id: head, message: `Work on ${branch}`, timestamp: new Date().toISOString() },
        commits: [{ id: head, message: `Work on ${branch}`, added: ['src/x.ts'], modified: [], removed: [] }],
      });
      return fetch(`${serve.base}/webhooks/github/${PIPELINE}`, {
        method: 'POST',
        body,
        headers: {
          'content-type': 'application/json',
          'x-github-event': 'push',
          'x-github-delivery': deliveryId,
          'x-hub-signature-256': `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`,
        },
      });
    },
  };
}

/**
 * A browser context signed in to the dashboard through its login form; every page opened in
 * it reports Content-Security-Policy violations and page errors into `problems`.
 *
 * @example
 * ```ts
 * const { context, problems } = await signedIn(browser, server, 'dana');
 * ```
 */
export async function signedIn(
  browser: Browser,
  server: DashboardServer,
  user: string,
  options: { width?: number; dark?: boolean } = {},
): Promise<{ context: BrowserContext; problems: string[] }> {
  const context = await browser.newContext({
    viewport: { width: options.width ?? 1280, height: 900 },
    colorScheme: options.dark === true ? 'dark' : 'light',
  });
  const problems: string[] = [];
  context.on('page', (page) => watch(page, problems));
  const page = await context.newPage();
  await page.goto(`${server.serve.base}/`);
  if (!page.url().includes('/login')) throw new Error(`expected the sign-in page, got ${page.url()}`);
  await page.getByLabel('API token').fill(server.token);
  await page.getByLabel(/Your name/).fill(user);
  await Promise.all([
    page.waitForURL(`${server.serve.base}/`),
    page.getByRole('button', { name: 'Sign in' }).click(),
  ]);
  await page.close();
  return { context, problems };
}

function watch(page: Page, problems: string[]): void {
  page.on('console', (message) => {
    if (message.type() === 'error' && /Content.Security.Policy|Refused to/i.test(message.text())) {
      problems.push(`${page.url()}: ${message.text()}`);
    }
  });
  page.on('pageerror', (error) => problems.push(`${page.url()}: ${error.message}`));
}

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** One axe-core violation, shortened. */
export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: string[];
}

/**
 * Runs axe-core (WCAG 2 A/AA and best practices) on the page; returns the serious and
 * critical violations.
 *
 * @example
 * ```ts
 * expect(await seriousViolations(page)).toEqual([]);
 * ```
 */
export async function seriousViolations(page: Page): Promise<AxeViolation[]> {
  await page.evaluate(axeSource);
  const violations = (await page.evaluate(`(async () => {
    const result = await window.axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] },
      resultTypes: ['violations'],
    });
    return result.violations.map((v) => ({
      id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 5).map((n) => n.html.slice(0, 200)),
    }));
  })()`)) as AxeViolation[];
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

/**
 * Saves a full-page screenshot as `test-results/dashboard/<name>.png`.
 *
 * @example
 * ```ts
 * await screenshot(page, 'pipeline-light');
 * ```
 */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

/**
 * True when the page is no wider than its viewport (nothing to scroll sideways).
 *
 * @example
 * ```ts
 * expect(await fitsWidth(page)).toBe(true);
 * ```
 */
export async function fitsWidth(page: Page): Promise<boolean> {
  return (await page.evaluate(
    'document.documentElement.scrollWidth <= document.documentElement.clientWidth + 1',
  )) as boolean;
}
