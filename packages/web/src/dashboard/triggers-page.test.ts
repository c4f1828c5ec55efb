import { afterEach, describe, expect, it } from 'vitest';
import { openTriggerHarness } from '../triggers/trigger-harness.test-helper.ts';
import { closeWebHarnesses, PIPELINE } from '../web-harness.test-helper.ts';
import { DashboardReader } from './dashboard-reader.ts';
import { triggerRegions } from './triggers-page.ts';

afterEach(closeWebHarnesses);

describe('triggerRegions', () => {
  it('shows the bus events counted instead of recorded, per source, with the last reason', async () => {
    // Prepare: state-change events the pipeline's patterns never match, as the local bus hands them over
    const t = await openTriggerHarness();
    for (const id of ['s-1', 's-2']) {
      await t.dispatcher.deliver(
        PIPELINE,
        {
          kind: 'event',
          triggerId: id,
          at: '2026-01-09T10:00:00.000Z',
          event: {
            id,
            source: 'aws.codepipeline',
            'detail-type': 'CodePipeline Stage Execution State Change',
            detail: {},
          },
        },
        { countMisses: true },
      );
    }
    const ctx = {
      deps: t.deps,
      reader: new DashboardReader(t.deps, { heard: false }),
      now: () => new Date(),
    };

    // Act
    const { triggers } = await triggerRegions(ctx, t.pipeline, { page: 1 });

    // Assess: counted on the page, and nothing recorded
    const text = String(triggers);
    expect(text).toContain(
      "2 bus event(s) from <code>events:aws.codepipeline/CodePipeline Stage Execution State Change</code> matched none of this pipeline's patterns",
    );
    expect(text).toContain('the last: the event pattern of trigger');
    expect(text).toContain('This pipeline has received no trigger yet.');
    expect(await t.triggerEvents()).toEqual([]);
  });
});
