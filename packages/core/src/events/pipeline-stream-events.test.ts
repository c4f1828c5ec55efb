import { describe, expect, it } from 'vitest';
import { inboundExecutionSuperseded, inboundExecutionSupersededId } from './pipeline-stream-events.ts';

describe('inboundExecutionSupersededId', () => {
  it("is the id of the event inboundExecutionSuperseded builds, so a gate's lookup finds it", () => {
    const event = inboundExecutionSuperseded({
      pipelineName: 'web:app',
      at: '2026-01-01T00:00:00.000Z',
      stageName: 'Deploy',
      pipelineExecutionId: '7f0c',
      supersededBy: '9a1b',
    });
    expect(inboundExecutionSupersededId('web:app', 'Deploy', '7f0c')).toBe(event.id);
  });
});
