import { describe, expect, it } from 'vitest';
import type { PipelineStreamEvent } from '../events/event-catalog.ts';
import type { ExecutionMode, Pipeline } from '../model/pipeline.ts';
import { foldPipelineStream } from '../projections/pipeline-stream-view.ts';
import {
  decideStageLock,
  decideStageRelease,
  lockedStage,
  type NewPipelineEvent,
} from './decide-stage-lock.ts';

const at = '2026-01-02T03:04:05.000Z';

function pipelineIn(mode: ExecutionMode): Pipeline {
  const stage = (name: string) => ({ name, actions: [] });
  return {
    name: 'p',
    executionMode: mode,
    pipelineType: 'V2',
    variables: [],
    triggers: [],
    stages: [stage('Build'), stage('Deploy')],
  };
}

/** A pipeline stream that takes decisions' events, with seq, and folds. */
function stream(pipeline: Pipeline) {
  const events: PipelineStreamEvent[] = [];
  return {
    view: () => foldPipelineStream(pipeline, events),
    add(news: readonly NewPipelineEvent[]) {
      for (const e of news) events.push({ ...e, seq: events.length + 1 } as PipelineStreamEvent);
    },
  };
}

const started: Record<string, string> = {
  a: '2026-01-02T03:00:00.000Z',
  b: '2026-01-02T03:01:00.000Z',
  c: '2026-01-02T03:02:00.000Z',
};
const startedAt = (id: string) => started[id];
const ask = (executionId: string, stageName: string) => ({
  executionId,
  stageName,
  stageAttempt: 0,
  startedAt: started[executionId] ?? at,
  at,
});

describe('lockedStage', () => {
  it('locks every stage in SUPERSEDED, only the first in QUEUED, none in PARALLEL', () => {
    expect(lockedStage(pipelineIn('SUPERSEDED'), 'Deploy')).toBe('Deploy');
    expect(lockedStage(pipelineIn('QUEUED'), 'Build')).toBe('Build');
    expect(lockedStage(pipelineIn('QUEUED'), 'Deploy')).toBeUndefined();
    expect(lockedStage(pipelineIn('PARALLEL'), 'Build')).toBeUndefined();
  });
});

describe('decideStageLock', () => {
  it('QUEUED: the first takes the lock, later ones wait in order and enter first in first out', () => {
    // Prepare
    const pipeline = pipelineIn('QUEUED');
    const s = stream(pipeline);
    // Act
    const a = decideStageLock(pipeline, s.view(), ask('a', 'Build'), startedAt);
    s.add(a.events);
    const b = decideStageLock(pipeline, s.view(), ask('b', 'Build'), startedAt);
    s.add(b.events);
    const c = decideStageLock(pipeline, s.view(), ask('c', 'Build'), startedAt);
    s.add(c.events);
    const cEarly = decideStageLock(pipeline, s.view(), ask('c', 'Build'), startedAt);
    const release = decideStageRelease(pipeline, s.view(), {
      executionId: 'a',
      stageAttempt: 0,
      at,
      reason: 'Succeeded',
    });
    s.add(release.events);
    const cAfter = decideStageLock(pipeline, s.view(), ask('c', 'Build'), startedAt);
    const bAfter = decideStageLock(pipeline, s.view(), ask('b', 'Build'), startedAt);
    // Assess
    expect(a.kind).toBe('enter');
    expect(b).toMatchObject({ kind: 'wait', holder: 'a' });
    expect(c).toMatchObject({ kind: 'wait', holder: 'a' });
    expect(cEarly.events).toEqual([]);
    expect(release.next).toBe('b');
    expect(cAfter.kind).toBe('wait');
    expect(bAfter.kind).toBe('enter');
  });

  it('SUPERSEDED: a newer waiting execution replaces the older one, which is superseded', () => {
    // Prepare
    const pipeline = pipelineIn('SUPERSEDED');
    const s = stream(pipeline);
    s.add(decideStageLock(pipeline, s.view(), ask('a', 'Deploy'), startedAt).events);
    const b = decideStageLock(pipeline, s.view(), ask('b', 'Deploy'), startedAt);
    s.add(b.events);
    // Act
    const c = decideStageLock(pipeline, s.view(), ask('c', 'Deploy'), startedAt);
    s.add(c.events);
    const bAgain = decideStageLock(pipeline, s.view(), ask('b', 'Deploy'), startedAt);
    const release = decideStageRelease(pipeline, s.view(), {
      executionId: 'a',
      stageName: 'Deploy',
      stageAttempt: 0,
      at,
      reason: 'Succeeded',
    });
    // Assess
    expect(b).toMatchObject({ kind: 'wait', holder: 'a', superseded: [] });
    expect(c).toMatchObject({ kind: 'wait', holder: 'a', superseded: ['b'] });
    expect(c.events.map((e) => e.type)).toEqual(['InboundExecutionSuperseded', 'ExecutionQueued']);
    expect(bAgain).toMatchObject({ kind: 'superseded', by: 'c' }); // a redelivered gate of b stays superseded
    expect(release.next).toBe('c');
  });

  it('SUPERSEDED: an older execution arriving after a newer one waits is superseded itself', () => {
    // Prepare
    const pipeline = pipelineIn('SUPERSEDED');
    const s = stream(pipeline);
    s.add(decideStageLock(pipeline, s.view(), ask('a', 'Deploy'), startedAt).events);
    s.add(decideStageLock(pipeline, s.view(), ask('c', 'Deploy'), startedAt).events);
    // Act
    const b = decideStageLock(pipeline, s.view(), ask('b', 'Deploy'), startedAt);
    // Assess
    expect(b).toMatchObject({ kind: 'superseded', by: 'c' });
  });

  it('PARALLEL: enters at once, recording nothing', () => {
    const pipeline = pipelineIn('PARALLEL');
    const s = stream(pipeline);
    s.add(decideStageLock(pipeline, s.view(), ask('a', 'Build'), startedAt).events);
    expect(decideStageLock(pipeline, s.view(), ask('b', 'Build'), startedAt)).toEqual({
      kind: 'enter',
      events: [],
      superseded: [],
    });
  });
});
