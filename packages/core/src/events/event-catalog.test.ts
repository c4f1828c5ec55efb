import { describe, expect, it } from 'vitest';
import { actionSucceeded } from './action-events.ts';
import { EVENT_TYPES, isKnownEvent, parseEvent, parseStoredEvent } from './event-catalog.ts';
import { actionExecutionId, eventId } from './event-envelope.ts';
import { stageRetried } from './operator-events.ts';
import { triggerReceived } from './pipeline-stream-events.ts';

const at = '2026-01-05T10:00:00.000Z';
const ref = { executionId: '7f0c', stageName: 'Build', actionName: 'Test', stageAttempt: 0, attempt: 1 };

describe('eventId', () => {
  it('joins the parts with colons', () => {
    expect(eventId(['7f0c', 'Build', 'Test', 0, 1, 'ActionStarted'])).toBe(
      '7f0c:Build:Test:0:1:ActionStarted',
    );
  });

  it('escapes colons and percent signs so different parts never collide', () => {
    expect(eventId(['a:b', 'c'])).toBe('a%3Ab:c');
    expect(eventId(['a', 'b:c'])).not.toBe(eventId(['a:b', 'c']));
    expect(eventId(['50%'])).toBe('50%25');
  });
});

describe('actionSucceeded', () => {
  it('builds the same id for the same fact, whatever the time of delivery', () => {
    // Prepare
    const data = {
      ...ref,
      actionExecutionId: actionExecutionId('7f0c', 'Build', 'Test', 0, 1),
      outputArtifacts: [],
      outputVariables: {},
    };
    // Act
    const first = actionSucceeded({ ...data, at });
    const again = actionSucceeded({ ...data, at: '2026-01-05T10:00:09.000Z' });
    // Assess
    expect(first.id).toBe('7f0c:Build:Test:0:1:ActionSucceeded');
    expect(again.id).toBe(first.id);
    expect(first.stream).toBe('execution-7f0c');
    expect(first).not.toHaveProperty('seq');
    expect(first).not.toHaveProperty('actor');
    expect(first.data).not.toHaveProperty('executionId');
  });
});

describe('stageRetried', () => {
  it('gives each retry attempt its own id and keeps the actor', () => {
    const actor = { kind: 'user' as const, id: 'alice' };
    const one = stageRetried({
      executionId: '7f0c',
      at,
      actor,
      stageName: 'Build',
      stageAttempt: 1,
      retryMode: 'ALL_ACTIONS',
    });
    const two = stageRetried({
      executionId: '7f0c',
      at,
      actor,
      stageName: 'Build',
      stageAttempt: 2,
      retryMode: 'ALL_ACTIONS',
    });
    expect(one.id).not.toBe(two.id);
    expect(one.actor).toEqual(actor);
  });
});

describe('triggerReceived', () => {
  it('writes to the pipeline stream with an id from the delivery id', () => {
    const e = triggerReceived({
      pipelineName: 'web',
      at,
      triggerId: 'delivery-9',
      trigger: { triggerType: 'WebhookV2' },
      matched: false,
      reason: 'branch feature/x is not included',
    });
    expect(e.stream).toBe('pipeline-web');
    expect(e.id).toBe('web:delivery-9:TriggerReceived');
  });
});

describe('parseEvent', () => {
  it('accepts an event built by a constructor once the store gave it a seq', () => {
    const built = triggerReceived({
      pipelineName: 'web',
      at,
      triggerId: 'd',
      trigger: { triggerType: 'Schedule' },
      matched: true,
      reason: 'tick',
    });
    expect(parseEvent({ ...built, seq: 3 })).toEqual({ ...built, seq: 3 });
  });

  it('throws PW1004 naming the path of the first problem', () => {
    const raw = {
      id: 'x',
      stream: 'execution-x',
      seq: 1,
      type: 'StageFailed',
      at,
      data: { stageName: 'Build', stageAttempt: 0 },
    };
    expect(() => parseEvent(raw)).toThrow(/PW1004.*StageFailed.*data\.error/);
  });

  it('throws on an unknown type and on a time without offset', () => {
    expect(() => parseEvent({ id: 'x', stream: 's', seq: 1, type: 'Nope', at, data: {} })).toThrow(/PW1004/);
    expect(() =>
      parseEvent({ id: 'x', stream: 's', seq: 1, type: 'ExecutionSucceeded', at: 'yesterday', data: {} }),
    ).toThrow(/PW1004.*at/);
  });
});

describe('parseStoredEvent', () => {
  it('keeps an event of a newer type as an unknown event instead of throwing', () => {
    const e = parseStoredEvent({
      id: 'x',
      stream: 'execution-x',
      seq: 4,
      type: 'ActionTeleported',
      at,
      data: { a: 1 },
    });
    expect(isKnownEvent(e)).toBe(false);
    expect(e).toMatchObject({ type: 'ActionTeleported', unknown: true, data: { a: 1 } });
  });

  it('still throws when a known type is malformed', () => {
    expect(() =>
      parseStoredEvent({ id: 'x', stream: 's', seq: 1, type: 'ActionFailed', at, data: {} }),
    ).toThrow(/PW1004/);
  });
});

describe('EVENT_TYPES', () => {
  it('lists every type once, in CodePipeline words', () => {
    expect(new Set(EVENT_TYPES).size).toBe(EVENT_TYPES.length);
    expect(EVENT_TYPES).toEqual(
      expect.arrayContaining(['PipelineExecutionStarted', 'ApprovalDecided', 'TriggerReceived']),
    );
  });
});
