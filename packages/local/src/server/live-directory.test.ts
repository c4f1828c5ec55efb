import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Trigger } from '@pipewright/core';
import { fakeAction, testPipeline } from '@pipewright/core/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { openLocalRuntime } from '../runtime/local-runtime.ts';
import { GitPoller } from '../triggers/git-poller.ts';
import { LocalScheduler } from '../triggers/local-scheduler.ts';
import { LiveDirectory } from './live-directory.ts';
import type { LocalServerReport } from './open-local-server.ts';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

const hourly: Trigger = { providerType: 'Schedule', schedule: { expression: 'rate(1 hour)' } };

/** A served directory whose files each hold one line: the name of their pipeline. */
async function liveDirectory() {
  const root = mkdtempSync(join(tmpdir(), 'pw-live-dir-'));
  const dir = join(root, 'pipelines');
  mkdirSync(dir);
  const runtime = await openLocalRuntime({ stateDir: join(root, '.pipewright') });
  const scheduler = new LocalScheduler({
    deliver: async () => undefined,
    setTimer: () => 0,
    clearTimer: () => {},
  });
  const poller = new GitPoller({
    deliver: async () => ({}) as never,
    repositories: {},
    store: runtime.store,
  });
  closers.push(async () => {
    await runtime.close();
    rmSync(root, { recursive: true, force: true });
  });
  const reports: LocalServerReport[] = [];
  const options = {
    dir,
    stateDir: join(root, '.pipewright'),
    readFile: (file: string) => {
      const name = readFileSync(file, 'utf8').trim();
      return {
        file,
        pipelines: [
          testPipeline([{ name: 'Build', actions: [fakeAction('Run')] }], { name, triggers: [hourly] }),
        ],
      };
    },
    report: (report: LocalServerReport) => reports.push(report),
  };
  const settings = { providerOptions: {}, repositories: {}, webhooks: {}, text: undefined };
  const directory = new LiveDirectory({ options, runtime, settings, scheduler, poller, known: new Map() });
  return { dir, directory, scheduler, reports };
}

describe('LiveDirectory', () => {
  it('schedules a file added after start, and unschedules a removed one with its webhook secret', async () => {
    // Prepare
    const { dir, directory, scheduler, reports } = await liveDirectory();
    writeFileSync(join(dir, 'a.yaml'), 'first\n');
    await directory.start();

    // Act
    writeFileSync(join(dir, 'b.yaml'), 'nightly\n');
    await directory.refresh();
    const afterAdd = scheduler.scheduled().map((s) => s.pipeline);
    const secret = directory.webhookSecret('nightly');
    rmSync(join(dir, 'b.yaml'));
    await directory.refresh();

    // Assess
    expect(afterAdd).toEqual(['first', 'nightly']);
    expect(secret).toMatch(/^[0-9a-f]{64}$/);
    expect(scheduler.scheduled().map((s) => s.pipeline)).toEqual(['first']);
    expect(directory.webhookSecret('nightly')).toBeUndefined();
    expect(reports.map((r) => r.kind)).toEqual(['added', 'removed']);
  });
});
