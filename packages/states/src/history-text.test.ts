import { describe, expect, it } from 'vitest';
import { SimulatedClock } from './clock.ts';
import type { StateMachineDefinition } from './definition.ts';
import type { HistoryEvent } from './history.ts';
import { LocalStepFunctions } from './local-step-functions.ts';

const definition: StateMachineDefinition = {
  QueryLanguage: 'JSONata',
  StartAt: 'T',
  States: {
    T: {
      Type: 'Task',
      Resource: 'arn:aws:lambda:us-east-1:123456789012:function:mutate',
      Arguments: '{% $states.input %}',
      Output: '{% {"in": $states.input, "out": $states.result} %}',
      End: true,
    },
  },
};

describe('history JSON fields', () => {
  it('are JSON text when read, and a handler changing its payload changes neither the history nor the values', async () => {
    // Prepare
    const journal: HistoryEvent[] = [];
    const sfn = new LocalStepFunctions({
      clock: new SimulatedClock(0),
      onHistoryEvent: (_, e) => journal.push(e),
    });
    sfn.registerHandler('mutate', (payload) => {
      (payload as { a: number }).a = 99;
      return { seen: (payload as { a: number }).a };
    });
    // Act
    const { executionArn } = await sfn.startExecution({ definition, input: '{"a":1}' });
    const result = await sfn.waitForExecution(executionArn);
    const { events } = await sfn.getExecutionHistory({ executionArn });
    // Assess
    expect(JSON.parse(result.output ?? '')).toEqual({ in: { a: 1 }, out: { seen: 99 } });
    const entered = events.find((e) => e.type === 'TaskStateEntered');
    expect(entered?.stateEnteredEventDetails?.input).toBe('{"a":1}');
    const scheduled = events.find((e) => e.type === 'LambdaFunctionScheduled');
    expect(scheduled?.lambdaFunctionScheduledEventDetails?.input).toBe('{"a":1}');
    const succeeded = events.find((e) => e.type === 'LambdaFunctionSucceeded');
    expect(succeeded?.lambdaFunctionSucceededEventDetails?.output).toBe('{"seen":99}');
    expect(JSON.parse(JSON.stringify(journal))).toEqual(events);
    for (const e of journal) {
      for (const details of Object.values(e).filter((v) => typeof v === 'object' && v !== null)) {
        for (const field of ['input', 'output', 'parameters'])
          if (field in details)
            expect(typeof (details as Record<string, unknown>)[field], `${e.type}.${field}`).toBe('string');
      }
    }
  });
});
