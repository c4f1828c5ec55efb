import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { executionCancelled } from '../events/execution-events.ts';
import { type PipewrightEvent, parseEvent } from '../events/index.ts';
import type { Pipeline } from '../model/pipeline.ts';
import { initialExecutionView } from '../projections/execution-view.ts';
import { foldExecution } from '../projections/fold-execution.ts';
import {
  advanceStateChanges,
  type CodePipelineStateChangeEvent,
  STATE_CHANGE_DETAIL_TYPES,
  stateChangeEvents,
} from './state-change-events.ts';

const fixtures = new URL('../../../../test/fixtures/streams/', import.meta.url);
const readJson = (name: string): unknown => JSON.parse(readFileSync(new URL(name, fixtures), 'utf8'));

function load(name: string): { pipeline: Pipeline; events: PipewrightEvent[] } {
  const stream = readJson(`${name}.json`) as { pipeline: string; events: unknown[] };
  return { pipeline: readJson(stream.pipeline) as Pipeline, events: stream.events.map(parseEvent) };
}

const where = { region: 'eu-west-1', account: '123456789012' };

/** `pipeline STARTED`, `stage Build FAILED`, `action Build/Test SUCCEEDED`. */
function brief(e: CodePipelineStateChangeEvent): string {
  if (e['detail-type'] === STATE_CHANGE_DETAIL_TYPES.action)
    return `action ${e.detail.stage}/${e.detail.action} ${e.detail.state}`;
  if (e['detail-type'] === STATE_CHANGE_DETAIL_TYPES.stage)
    return `stage ${e.detail.stage} ${e.detail.state}`;
  return `pipeline ${e.detail.state}`;
}

describe('stateChangeEvents', () => {
  it('reports every start and end of a succeeded execution, top-down when starting and bottom-up when ending', () => {
    // Prepare
    const { pipeline, events } = load('succeeded');
    // Act
    const changes = stateChangeEvents(events, pipeline, where);
    // Assess
    expect(changes.map(brief)).toEqual([
      'pipeline STARTED',
      'stage Source STARTED',
      'action Source/Checkout STARTED',
      'action Source/Checkout SUCCEEDED',
      'stage Source SUCCEEDED',
      'stage Build STARTED',
      'action Build/Build STARTED',
      'action Build/Build SUCCEEDED',
      'stage Build SUCCEEDED',
      'pipeline SUCCEEDED',
    ]);
  });

  it('reports a failed stage, then RESUMED for the pipeline and the stage when it is retried', () => {
    // Prepare
    const { pipeline, events } = load('retried');
    // Act
    const changes = stateChangeEvents(events, pipeline, where);
    // Assess
    expect(changes.map(brief).slice(6)).toEqual([
      'action Build/Build STARTED',
      'action Build/Build FAILED',
      'stage Build FAILED',
      'pipeline FAILED',
      'pipeline RESUMED',
      'stage Build RESUMED',
      'action Build/Build STARTED',
      'action Build/Build SUCCEEDED',
      'stage Build SUCCEEDED',
      'pipeline SUCCEEDED',
    ]);
    expect(changes.at(-1)?.detail['pipeline-execution-attempt']).toBe(2);
    expect(changes[0]?.detail['pipeline-execution-attempt']).toBe(1);
  });

  it('reports STOPPING, ABANDONED and STOPPED for a stop that abandons the running action', () => {
    const { pipeline, events } = load('stopped-abandon');
    expect(stateChangeEvents(events, pipeline, where).map(brief).slice(-5)).toEqual([
      'pipeline STOPPING',
      'stage Build STOPPING',
      'action Build/Build ABANDONED',
      'stage Build STOPPED',
      'pipeline STOPPED',
    ]);
  });

  it('reports SUPERSEDED for an execution replaced while waiting between stages', () => {
    const { pipeline, events } = load('superseded');
    expect(stateChangeEvents(events, pipeline, where).map(brief).at(-1)).toBe('pipeline SUPERSEDED');
  });

  it('reports a rejected approval as a failed action, stage and execution', () => {
    const { pipeline, events } = load('approval-rejected');
    expect(stateChangeEvents(events, pipeline, where).map(brief).slice(-3)).toEqual([
      'action Approve/Review FAILED',
      'stage Approve FAILED',
      'pipeline FAILED',
    ]);
  });

  it('cancels the actions still running when the execution is cancelled', () => {
    // Prepare
    const { pipeline, events } = load('stopped-abandon');
    const running = events.slice(
      0,
      events.findIndex((e) => e.type === 'ExecutionStopping'),
    );
    const last = running.at(-1);
    const cancelled = {
      ...executionCancelled({
        executionId: last?.stream.slice('execution-'.length) ?? '',
        at: '2026-01-05T10:10:00.000Z',
        reason: 'the pipeline definition changed',
      }),
      seq: (last?.seq ?? 0) + 1,
    };
    // Act
    const changes = stateChangeEvents([...running, cancelled], pipeline, where);
    // Assess
    expect(changes.map(brief).slice(-3)).toEqual([
      'action Build/Build CANCELED',
      'stage Build CANCELED',
      'pipeline CANCELED',
    ]);
  });

  it('writes CodePipeline detail shapes: envelope, pipeline fields, action type and result', () => {
    // Prepare
    const { pipeline, events } = load('succeeded');
    // Act
    const changes = stateChangeEvents(events, pipeline, where);
    const first = changes[0];
    const built = changes.find((c) => brief(c) === 'action Build/Build SUCCEEDED');
    // Assess
    expect(first).toMatchObject({
      version: '0',
      source: 'aws.codepipeline',
      account: '123456789012',
      region: 'eu-west-1',
      'detail-type': 'CodePipeline Pipeline Execution State Change',
      resources: [`arn:aws:codepipeline:eu-west-1:123456789012:${pipeline.name}`],
      detail: {
        pipeline: pipeline.name,
        state: 'STARTED',
        'execution-trigger': { 'trigger-type': expect.any(String) },
      },
    });
    expect(first?.time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(first?.detail['execution-id']).toBe(events[0]?.stream.slice('execution-'.length));
    expect(built?.detail).toMatchObject({
      stage: 'Build',
      action: 'Build',
      'action-execution-id': expect.any(String),
      type: { category: 'Build', owner: expect.any(String), provider: expect.any(String), version: '1' },
      region: expect.any(String),
    });
  });

  it('gives each change an id derived from its cause, the same on every run', () => {
    const { pipeline, events } = load('retried');
    const a = stateChangeEvents(events, pipeline, where).map((c) => c.id);
    const b = stateChangeEvents(events, pipeline, where).map((c) => c.id);
    expect(a).toEqual(b);
    expect(new Set(a).size).toBe(a.length);
  });

  it('skips records of other streams, duplicates and unknown types', () => {
    const { pipeline, events } = load('succeeded');
    const other = {
      id: 'x',
      stream: 'pipeline-app',
      seq: 1,
      type: 'TriggerReceived',
      at: events[0]?.at ?? '',
      data: {},
    };
    const unknown = { ...(events[1] as PipewrightEvent), id: 'y', type: 'ActionTeleported', seq: 99 };
    const once = stateChangeEvents(events, pipeline, where).length;
    expect(stateChangeEvents([other, ...events, ...events, unknown], pipeline, where)).toHaveLength(once);
  });
});

describe('advanceStateChanges', () => {
  it('gives, batch by batch, the same changes as one pass over the whole stream', () => {
    // Prepare
    const { pipeline, events } = load('retried');
    let view = initialExecutionView(pipeline);
    const seen: string[] = [];
    // Act
    for (let i = 0; i < events.length; i += 3) {
      const step = advanceStateChanges(view, events.slice(i, i + 3), pipeline, where);
      view = step.view;
      seen.push(...step.changes.map((c) => c.event.id));
    }
    // Assess
    expect(seen).toEqual(stateChangeEvents(events, pipeline, where).map((c) => c.id));
    expect(view).toEqual(foldExecution(events, pipeline));
  });

  it('names each change in the notification vocabulary and says why it failed', () => {
    const { pipeline, events } = load('approval-rejected');
    const { changes } = advanceStateChanges(initialExecutionView(pipeline), events, pipeline, where);
    const failed = changes.filter((c) => c.event.detail.state === 'FAILED');
    expect(failed.map((c) => c.name)).toEqual(['action.failed', 'stage.failed', 'execution.failed']);
    expect(failed[2]?.reason).toMatch(/^in stage Approve: /);
    expect(failed[0]?.event.detail).toMatchObject({
      'execution-result': { 'error-code': expect.any(String) },
    });
  });
});
