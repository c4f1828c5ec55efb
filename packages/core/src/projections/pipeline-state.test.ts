import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  executionQueued,
  inboundExecutionSuperseded,
  type NewEvent,
  type PipewrightEvent,
  parseEvent,
  stageLockAcquired,
  stageLockReleased,
  transitionDisabled,
} from '../events/index.ts';
import type { Pipeline } from '../model/pipeline.ts';
import { foldExecution } from './fold-execution.ts';
import { foldPipelineState } from './pipeline-state.ts';
import { summarizeExecution } from './summarize-execution.ts';

const fixtures = new URL('../../../../test/fixtures/streams/', import.meta.url);
const readJson = (name: string): unknown => JSON.parse(readFileSync(new URL(name, fixtures), 'utf8'));
const events = (name: string) => (readJson(`${name}.json`) as { events: unknown[] }).events.map(parseEvent);
const plain = (value: unknown): unknown => JSON.parse(JSON.stringify(value));
const withSeq = (list: NewEvent<PipewrightEvent>[]) =>
  list.map((e, i) => ({ ...e, seq: i + 1 }) as PipewrightEvent);

describe('foldPipelineState', () => {
  it('folds a PARALLEL pair and the pipeline stream into the GetPipelineState shape', () => {
    // Prepare
    const pipeline = readJson('docs.pipeline.json') as Pipeline;
    const views = [
      foldExecution(events('parallel-p1'), pipeline),
      foldExecution(events('parallel-p2'), pipeline),
    ];
    // Act
    const state = foldPipelineState(pipeline, events('parallel-pipeline'), views);
    // Assess
    expect(plain(state)).toStrictEqual(readJson('parallel-pipeline.expected.json'));
    expect(JSON.stringify(state)).not.toMatch(/token/i);
  });

  it('shows who holds each stage lock, who waits in front, and disabled transitions', () => {
    // Prepare
    const pipeline = readJson('app.pipeline.json') as Pipeline;
    const at = '2026-01-05T12:00:00.000Z';
    const p = { pipelineName: 'app', at };
    const stream = withSeq([
      stageLockAcquired({ ...p, stageName: 'Build', pipelineExecutionId: 'e2', stageAttempt: 0 }),
      executionQueued({ ...p, stageName: 'Build', pipelineExecutionId: 'e3', stageAttempt: 0 }),
      executionQueued({ ...p, stageName: 'Build', pipelineExecutionId: 'e4', stageAttempt: 0 }),
      inboundExecutionSuperseded({ ...p, stageName: 'Build', pipelineExecutionId: 'e3', supersededBy: 'e4' }),
      transitionDisabled({
        ...p,
        actor: { kind: 'user', id: 'dave' },
        stageName: 'Source',
        transitionType: 'Outbound',
        requestId: 'r1',
        reason: 'release freeze',
      }),
      stageLockAcquired({ ...p, stageName: 'Source', pipelineExecutionId: 'e4', stageAttempt: 0 }),
      stageLockReleased({ ...p, stageName: 'Source', pipelineExecutionId: 'e4', stageAttempt: 0 }),
    ]);
    // Act
    const state = foldPipelineState(pipeline, stream, []);
    // Assess
    expect(state.stageLocks).toEqual([
      { stageName: 'Source', queue: [] },
      {
        stageName: 'Build',
        heldBy: { pipelineExecutionId: 'e2', stageAttempt: 0, since: at },
        queue: [{ pipelineExecutionId: 'e4', since: at }],
      },
    ]);
    expect(state.stageStates[1]?.inboundExecution).toEqual({
      pipelineExecutionId: 'e4',
      status: 'InProgress',
    });
    expect(state.stageStates[1]?.inboundTransitionState).toEqual({
      enabled: false,
      lastChangedBy: 'dave',
      lastChangedAt: at,
      disabledReason: 'release freeze',
    });
    expect(state.stageStates[0]?.inboundTransitionState).toEqual({ enabled: true });
  });

  it('names an approval by its approvalId and reports retries of the latest stage execution', () => {
    // Prepare
    const release = readJson('release.pipeline.json') as Pipeline;
    const app = readJson('app.pipeline.json') as Pipeline;
    // Act
    const approval = foldPipelineState(release, [], [foldExecution(events('approval-rejected'), release)]);
    const retried = foldPipelineState(app, [], [foldExecution(events('retried'), app)]);
    // Assess
    expect(approval.stageStates[1]?.actionStates[0]?.latestExecution).toMatchObject({
      approvalId: 'ap-1',
      status: 'Failed',
      lastUpdatedBy: 'carol@example.com',
      errorDetails: { code: 'ApprovalRejected' },
    });
    expect(approval.stageStates[2]?.latestExecution).toBeUndefined();
    expect(retried.stageStates[1]?.retryStageMetadata).toEqual({
      autoStageRetryAttempt: 0,
      manualStageRetryAttempt: 1,
      latestRetryTrigger: 'ManualStageRetry',
    });
  });
});

describe('summarizeExecution', () => {
  it('gives the ListPipelineExecutions rows of the PARALLEL pair', () => {
    // Prepare
    const pipeline = readJson('docs.pipeline.json') as Pipeline;
    const views = [
      foldExecution(events('parallel-p1'), pipeline),
      foldExecution(events('parallel-p2'), pipeline),
    ];
    // Act
    const rows = views.map(summarizeExecution);
    // Assess
    expect(plain(rows)).toStrictEqual(readJson('parallel-summaries.expected.json'));
  });

  it('carries the stop reason as stopTrigger', () => {
    const app = readJson('app.pipeline.json') as Pipeline;
    const row = summarizeExecution(foldExecution(events('stopped-abandon'), app));
    expect(row).toMatchObject({ status: 'Stopped', stopTrigger: { reason: 'wrong branch' } });
  });
});
