import { initialExecutionView } from '@pipewright/core';
import { describe, expect, it } from 'vitest';
import { executionEnd, executionFacts } from './execution-facts.ts';
import { failedWaitingView } from './failed-stream.test-helper.ts';
import { formatDuration, statusBadge, timeTag } from './format.ts';
import { quantile, trendChart } from './trend-chart.ts';

const NOW = new Date('2026-01-09T10:10:00.000Z');

describe('executionFacts', () => {
  it('takes the branch and provider from a webhook trigger, and the commit from the revisions', () => {
    const v = initialExecutionView();
    v.status = 'Succeeded';
    v.startedAt = '2026-01-09T10:00:00.000Z';
    v.endedAt = '2026-01-09T10:03:04.000Z';
    v.trigger = { triggerType: 'WebhookV2', triggerDetail: 'github:acme/web@refs/heads/release/1.2' };
    v.sourceRevisions = [{ actionName: 'Checkout', revisionId: '4f2a9c1', revisionSummary: 'Fix login' }];
    expect(executionFacts(v, NOW)).toEqual({
      ended: true,
      branch: 'release/1.2',
      commit: { actionName: 'Checkout', revisionId: '4f2a9c1', revisionSummary: 'Fix login' },
      triggerType: 'WebhookV2',
      triggerDetail: 'github:acme/web@refs/heads/release/1.2',
      who: 'github',
      durationMs: 184_000,
    });
  });

  it('takes the branch from the source action a manual start ran with, and runs the duration to now', () => {
    const v = initialExecutionView();
    v.status = 'InProgress';
    v.startedAt = '2026-01-09T10:09:00.000Z';
    v.trigger = { triggerType: 'StartPipelineExecution', triggerDetail: 'alice' };
    v.stages = [
      {
        stageName: 'Source',
        status: 'Succeeded',
        stageAttempt: 0,
        retries: [],
        conditions: [],
        actions: [
          {
            actionName: 'Checkout',
            status: 'Succeeded',
            attempts: [
              {
                actionExecutionId: 'a',
                stageAttempt: 0,
                attempt: 1,
                status: 'Succeeded',
                startedAt: v.startedAt,
                updatedAt: v.startedAt,
                actionTypeId: { category: 'Source', owner: 'AWS', provider: 'CodeCommit', version: '1' },
                resolvedConfiguration: { BranchName: 'main' },
                inputArtifacts: [],
                outputArtifacts: [],
                outputVariables: {},
              },
            ],
          },
        ],
      },
    ];
    expect(executionFacts(v, NOW)).toMatchObject({
      ended: false,
      branch: 'main',
      who: 'alice',
      durationMs: 60_000,
    });
  });
});

describe('a failed execution waiting for a decision (no endedAt)', () => {
  it('ends when its failed stage ended: a fixed duration, counted as ended', () => {
    // Prepare
    const v = failedWaitingView();
    const muchLater = new Date('2026-01-06T11:00:00.000Z');
    // Act
    const facts = executionFacts(v, muchLater);
    // Assess
    expect(v.status).toBe('Failed');
    expect(v.endedAt).toBeUndefined();
    expect(executionEnd(v)).toBe('2026-01-05T11:00:30.000Z');
    expect(facts).toMatchObject({ ended: true, durationMs: 30_000 });
  });

  it('ends at its last event when no failed stage says when, and runs again once retried', () => {
    const v = failedWaitingView();
    for (const s of v.stages) delete s.endedAt;
    expect(executionEnd(v)).toBe(v.updatedAt);
    v.status = 'InProgress';
    expect(executionEnd(v)).toBeUndefined();
    expect(executionFacts(v, new Date('2026-01-05T11:01:00.000Z'))).toMatchObject({
      ended: false,
      durationMs: 60_000,
    });
  });
});

describe('format', () => {
  it('says durations, times and statuses for people', () => {
    expect([850, 12_340, 184_000, 7_500_000].map(formatDuration)).toEqual([
      '850 ms',
      '12.3 s',
      '3 min 04 s',
      '2 h 05 min',
    ]);
    expect(formatDuration(undefined)).toBe('—');
    expect(timeTag('2026-01-09T10:00:05.120Z').toString()).toBe(
      '<time datetime="2026-01-09T10:00:05.120Z">2026-01-09 10:00:05 UTC</time>',
    );
    expect(statusBadge('InProgress').toString()).toBe('<span class="status s-InProgress">In progress</span>');
  });
});

describe('trendChart', () => {
  it('draws one bar per execution and summarises median and p95 in text', () => {
    const points = [1_000, 2_000, 3_000, 4_000].map((durationMs, i) => ({
      id: `exec-${i}`,
      status: i === 3 ? 'Failed' : 'Succeeded',
      durationMs,
    }));
    const markup = trendChart(points).toString();
    expect(quantile([1, 2, 3, 4], 0.5)).toBe(2);
    expect(markup.match(/<rect /g)).toHaveLength(4);
    expect(markup).toContain('class="bar-Failed"><title>exec-3: Failed, 4.00 s</title>');
    expect(markup).toContain('median 2.00 s, p95 4.00 s, latest 4.00 s');
    expect(trendChart([]).toString()).toContain('No ended execution');
  });
});
