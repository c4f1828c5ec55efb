import { afterEach, describe, expect, it } from 'vitest';
import { closeWebHarnesses, openWebHarness } from '../web-harness.test-helper.ts';
import type { DashboardContext } from './dashboard-context.ts';
import { DashboardReader } from './dashboard-reader.ts';
import { failedWaitingStream } from './failed-stream.test-helper.ts';
import { historyRegions } from './history-page.ts';

afterEach(closeWebHarnesses);

describe('historyRegions', () => {
  it('charts and lists a failed execution waiting for a decision with the duration to its failure', async () => {
    // Prepare: a Failed execution without endedAt in the log; now is a day after it failed.
    const h = await openWebHarness();
    const { pipeline, records } = failedWaitingStream();
    await h.runtime.store.append('execution-e2', records, { expectedVersion: 0, pipeline: pipeline.name });
    const deps = { ...h.deps, pipelines: { names: () => [pipeline.name], get: () => pipeline } };
    const ctx: DashboardContext = {
      deps,
      reader: new DashboardReader(deps, { heard: false }),
      now: () => new Date('2026-01-06T11:00:00.000Z'),
    };

    // Act
    const { trend, history } = await historyRegions(ctx, pipeline, {});

    // Assess
    expect(trend?.toString()).toContain('<title>e2: Failed, 30.0 s</title>');
    expect(history?.toString()).toContain('<td class="num">30.0 s</td>');
  });
});
