import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { type PipewrightEvent, parseEvent, parseStoredEvent } from '../events/index.ts';
import type { Pipeline } from '../model/pipeline.ts';
import { initialExecutionView } from './execution-view.ts';
import { applyExecutionEvent, foldExecution } from './fold-execution.ts';

const fixtures = new URL('../../../../test/fixtures/streams/', import.meta.url);
const readJson = (name: string): unknown => JSON.parse(readFileSync(new URL(name, fixtures), 'utf8'));

interface RecordedStream {
  description: string;
  pipeline: string;
  events: unknown[];
}

function load(name: string): { pipeline: Pipeline; events: PipewrightEvent[] } {
  const stream = readJson(`${name}.json`) as RecordedStream;
  return { pipeline: readJson(stream.pipeline) as Pipeline, events: stream.events.map(parseEvent) };
}

/** JSON round trip: what a stored read model holds (undefined fields dropped). */
const plain = (value: unknown): unknown => JSON.parse(JSON.stringify(value));

const GOLDEN = ['succeeded', 'retried', 'superseded', 'stopped-abandon', 'approval-rejected'] as const;

describe('foldExecution', () => {
  for (const name of GOLDEN) {
    it(`folds the recorded stream "${name}" into the expected view`, () => {
      // Prepare
      const { pipeline, events } = load(name);
      // Act
      const view = foldExecution(events, pipeline);
      // Assess
      expect(plain(view)).toStrictEqual(readJson(`${name}.expected.json`));
    });
  }

  it('shows the execution Failed after StageFailed and InProgress again after StageRetried', () => {
    // Prepare
    const { pipeline, events } = load('retried');
    const failedAt = events.findIndex((e) => e.type === 'StageFailed');
    const retriedAt = events.findIndex((e) => e.type === 'StageRetried');
    // Act
    const failed = foldExecution(events.slice(0, failedAt + 1), pipeline);
    const retried = foldExecution(events.slice(0, retriedAt + 1), pipeline);
    // Assess
    expect(failed.status).toBe('Failed');
    expect(failed.stages[1]?.status).toBe('Failed');
    expect(failed.endedAt).toBeUndefined();
    expect(retried.status).toBe('InProgress');
    expect(retried.stages[1]).toMatchObject({ status: 'InProgress', stageAttempt: 1 });
    expect(retried.stages[1]?.actions[0]?.status).toBe('NotStarted');
  });

  it('lists stages and actions not reached as NotStarted, in pipeline order', () => {
    // Prepare
    const { pipeline, events } = load('approval-rejected');
    // Act
    const view = foldExecution(events.slice(0, 1), pipeline);
    // Assess
    expect(view.stages.map((s) => [s.stageName, s.status])).toEqual([
      ['Source', 'NotStarted'],
      ['Approve', 'NotStarted'],
      ['Deploy', 'NotStarted'],
    ]);
    expect(view.status).toBe('InProgress');
  });

  it('adds stages it sees in events after the known ones when no pipeline is given', () => {
    // Prepare
    const { events } = load('succeeded');
    // Act
    const view = foldExecution(events);
    // Assess
    expect(view.stages.map((s) => s.stageName)).toEqual(['Source', 'Build']);
    expect(view.status).toBe('Succeeded');
  });

  it('returns the empty view when there are no events', () => {
    expect(foldExecution([])).toStrictEqual(initialExecutionView());
    expect(foldExecution([]).status).toBe('NotStarted');
  });

  it('skips an event of a type it does not know', () => {
    // Prepare
    const { pipeline, events } = load('succeeded');
    const future = parseStoredEvent({
      id: 'e1:Future',
      stream: 'execution-e1',
      seq: 12,
      type: 'ActionTeleported',
      at: '2026-01-05T10:02:00.000Z',
      data: { anything: true },
    });
    // Act
    const view = foldExecution([...events, future], pipeline);
    // Assess
    expect(view).toStrictEqual(foldExecution(events, pipeline));
  });

  it('changes nothing when an event is delivered again later', () => {
    // Prepare
    const { pipeline, events } = load('retried');
    const failed = events.find((e) => e.type === 'ActionFailed');
    // Act
    const view = foldExecution([...events, failed as PipewrightEvent], pipeline);
    // Assess
    expect(view).toStrictEqual(foldExecution(events, pipeline));
    expect(view.stages[1]?.actions[0]?.status).toBe('Succeeded');
  });

  it('throws EventFoldError when an event of another execution is folded in', () => {
    // Prepare
    const { events } = load('succeeded');
    const other = load('retried').events.at(-1) as PipewrightEvent;
    // Act
    const act = () => foldExecution([...events, { ...other, seq: 99 }]);
    // Assess
    expect(act).toThrow(/PW1004.*execution-e2.*not execution-e1/);
  });
});

describe('applyExecutionEvent', () => {
  it('does not change the view it is given', () => {
    // Prepare
    const { pipeline, events } = load('succeeded');
    const before = foldExecution(events.slice(0, 5), pipeline);
    const snapshot = structuredClone(before);
    // Act
    const after = applyExecutionEvent(before, events[5] as PipewrightEvent);
    // Assess
    expect(before).toStrictEqual(snapshot);
    expect(after.stages[1]?.status).toBe('InProgress');
  });

  it('gives the same view as the full fold, one event at a time', () => {
    // Prepare
    const { pipeline, events } = load('approval-rejected');
    // Act
    const view = events.reduce(applyExecutionEvent, initialExecutionView(pipeline));
    // Assess
    expect(view).toStrictEqual(foldExecution(events, pipeline));
  });
});
