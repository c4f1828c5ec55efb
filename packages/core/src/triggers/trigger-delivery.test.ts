import { describe, expect, it } from 'vitest';
import { recordedTrigger } from './trigger-delivery.ts';

describe('recordedTrigger', () => {
  const events = [
    { type: 'PipelineVersionCreated', data: { version: 1 } },
    { type: 'TriggerReceived', data: { triggerId: 'a', matched: false, reason: 'no' } },
    {
      type: 'TriggerReceived',
      data: { triggerId: 'b', matched: true, reason: 'yes', pipelineExecutionId: 'x1' },
    },
  ];

  it('finds the recorded result of a delivery', () => {
    expect(recordedTrigger(events, 'b')).toEqual({
      triggerId: 'b',
      matched: true,
      reason: 'yes',
      executionId: 'x1',
      duplicate: true,
    });
    expect(recordedTrigger(events, 'a')).toEqual({
      triggerId: 'a',
      matched: false,
      reason: 'no',
      duplicate: true,
    });
  });

  it('is undefined for a delivery not recorded', () => {
    expect(recordedTrigger(events, 'c')).toBeUndefined();
  });
});
