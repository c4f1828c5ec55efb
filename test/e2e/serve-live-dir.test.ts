/**
 * Acceptance (issue 12, items 5 and 6): the directory `pipewright serve` serves is live.
 * - A pipeline file added while it runs gets its webhook route and its schedule at once.
 * - A removed file stops being served: its webhook answers 404 with a clear message, it
 *   cannot be started, and its running execution finishes.
 * - A second file naming a served pipeline is refused, naming both files, and the first keeps
 *   running; a broken or deleted `pipewright.local.yaml` is reported like an invalid edit.
 */
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cleanupsAfter } from '../support/cleanups.ts';
import { initRepo } from '../support/git.ts';
import { deliverGithubPush, readWebhookSecret, signedGithubPush } from '../support/github-push.ts';
import { commandPipelineYaml } from '../support/pipeline-yaml.ts';
import { poll } from '../support/poll.ts';
import { readApiToken, waitForExecution } from '../support/serve-api.ts';
import { type ServeProcess, startServe } from '../support/serve-process.ts';
import { tempDirSync } from '../support/temp-dirs.ts';

const cleanups = cleanupsAfter(afterAll);
const POLL = { timeoutMs: 20_000 };

/** A pipeline reading `./repo`, with a push trigger, optional extra triggers, and one command. */
function pipelineYaml(name: string, command: string, triggers = ''): string {
  const head = `executionMode: PARALLEL
triggers:
  - git:
      source: Checkout
      push:
        - branches: [main]
${triggers}`;
  return commandPipelineYaml({ name, command, head });
}

/** A served directory `pipelines/` with a git repository and the `first` pipeline; the server. */
async function serveDirectory(prefix: string) {
  const cwd = tempDirSync(cleanups, prefix);
  const dir = join(cwd, 'pipelines');
  const commit = initRepo(join(dir, 'repo'));
  writeFileSync(join(dir, 'first.yaml'), pipelineYaml('first', 'true'));
  const serve = await startServe({ cwd, dir: 'pipelines', cleanups });
  const token = readApiToken(cwd);
  const api = (path: string, init: RequestInit = {}) =>
    fetch(`${serve.base}${path}`, {
      ...init,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...init.headers },
    });
  return { cwd, dir, commit, serve, token, api };
}

/** Delivers a signed GitHub push of `commit` to `pipeline`'s webhook. */
function push(serve: ServeProcess, cwd: string, pipeline: string, commit: string, id: string) {
  const { body, signature } = signedGithubPush(readWebhookSecret(cwd, pipeline), commit, 'A push', [
    'README.md',
  ]);
  return deliverGithubPush(serve.base, pipeline, body, signature, id);
}

async function executionsJson(api: (path: string) => Promise<Response>, pipeline: string): Promise<string> {
  return JSON.stringify(await (await api(`/api/pipelines/${pipeline}/executions`)).json());
}

describe('pipewright serve: a live directory', () => {
  it('gives a file added while serving its webhook route and its schedule at once', async () => {
    // Prepare
    const { cwd, dir, commit, serve, api } = await serveDirectory('pipewright-live-add-');

    // Act: a new file, with a schedule every minute.
    writeFileSync(
      join(dir, 'nightly.yaml'),
      pipelineYaml('nightly', 'true', '  - schedule: rate(1 minute)\n'),
    );
    await serve.waitFor(/nightly is served from /);

    // Assess: the webhook starts an execution; the schedule fires at the next minute.
    const delivered = await push(serve, cwd, 'nightly', commit, 'delivery-1');
    expect(delivered.status, await delivered.clone().text()).toBeLessThan(300);
    const { executionId } = (await delivered.json()) as { executionId?: string };
    expect(executionId).toBeDefined();
    const view = await waitForExecution(serve.base, readApiToken(cwd), executionId ?? '', POLL);
    expect(view.status).toBe('Succeeded');
    const scheduled = await poll(
      () => executionsJson(api, 'nightly'),
      (text) => text.includes('"triggerType":"Schedule"'),
      { timeoutMs: 75_000, intervalMs: 1_000 },
    );
    expect(scheduled).toContain('"triggerType":"Schedule"');
    expect(await serve.stop()).toBe(0);
  }, 120_000);

  it('stops serving a removed file: 404 webhook, no start, and its running execution finishes', async () => {
    // Prepare: a second pipeline whose action waits for a release file, running.
    const { cwd, dir, commit, serve, token, api } = await serveDirectory('pipewright-live-remove-');
    const release = join(cwd, 'release');
    const file = join(dir, 'slow.yaml');
    writeFileSync(file, pipelineYaml('slow', `until [ -e ${JSON.stringify(release)} ]; do sleep 0.1; done`));
    await serve.waitFor(/slow is served from /);
    const started = await api('/api/pipelines/slow/executions', { method: 'POST', body: '{}' });
    expect(started.status).toBe(201);
    const { executionId } = (await started.json()) as { executionId: string };

    // Act: start it again at once, before the server has seen the change, and once it has.
    rmSync(file);
    const atOnce = await api('/api/pipelines/slow/executions', { method: 'POST', body: '{}' });
    await serve.waitFor(/slow is no longer served/);

    // Assess
    expect(atOnce.status).toBe(404);
    const hook = await push(serve, cwd, 'slow', commit, 'delivery-2');
    expect(hook.status).toBe(404);
    expect(await hook.text()).toContain('no pipeline named \\"slow\\" takes webhooks here');
    const refused = await api('/api/pipelines/slow/executions', { method: 'POST', body: '{}' });
    expect(refused.status).toBe(404);
    expect(await refused.text()).toContain('no pipeline named \\"slow\\" is served here');
    writeFileSync(release, '');
    expect((await waitForExecution(serve.base, token, executionId, POLL)).status).toBe('Succeeded');
    expect(existsSync(file)).toBe(false);
    expect(await serve.stop()).toBe(0);
  }, 90_000);

  it('refuses a second file with a served name and reports a broken or deleted pipewright.local.yaml', async () => {
    // Prepare
    const { dir, serve, api } = await serveDirectory('pipewright-live-dup-');
    const settings = join(dir, 'pipewright.local.yaml');

    // Act: a copy that names the served pipeline; then broken settings; then none.
    writeFileSync(join(dir, 'second.yaml'), pipelineYaml('first', 'false'));
    await poll(
      () => serve.errors.text,
      (text) => text.includes('is already served from'),
      POLL,
    );
    writeFileSync(settings, 'repositories: [not, a, map\n');
    await poll(
      () => serve.errors.text,
      (text) => text.includes('the last good settings keep running'),
      POLL,
    );
    rmSync(settings);
    await poll(
      () => serve.errors.text,
      (text) => text.includes('was deleted'),
      POLL,
    );

    // Assess: both files named; the first file's pipeline still served as version 1 and runs.
    expect(serve.errors.text).toContain(
      `${join(dir, 'second.yaml')}: pipeline "first" is already served from ${join(dir, 'first.yaml')}`,
    );
    expect(serve.errors.text).toMatch(/pipewright\.local\.yaml:\d+:\d+: not valid YAML/);
    expect(serve.errors.text).toContain(`${settings} was deleted: the last good settings keep running`);
    const described = (await (await api('/api/pipelines/first')).json()) as {
      pipeline: { version?: number };
    };
    expect(described.pipeline.version).toBe(1);
    const started = await api('/api/pipelines/first/executions', { method: 'POST', body: '{}' });
    const { executionId } = (await started.json()) as { executionId: string };
    const view = await waitForExecution(serve.base, readApiToken(join(dir, '..')), executionId, POLL);
    expect(view.status).toBe('Succeeded');
    expect(await serve.stop()).toBe(0);
  }, 90_000);
});
