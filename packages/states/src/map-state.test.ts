import { describe, expect, it } from 'vitest';
import { SimulatedClock, settle } from './clock.ts';
import type { StateMachineDefinition } from './definition.ts';
import { LocalStepFunctions } from './local-step-functions.ts';

/** A Map over `count` items whose handler takes 10 simulated seconds; records how many run at once. */
async function runMap(mode: 'INLINE' | 'DISTRIBUTED', count: number, maxConcurrency: number) {
  // Prepare
  const clock = new SimulatedClock(0);
  const sfn = new LocalStepFunctions({ clock });
  let running = 0;
  let most = 0;
  const started: number[] = [];
  sfn.registerHandler('slow', (payload) => {
    running++;
    most = Math.max(most, running);
    started.push(clock.now() / 1000);
    return new Promise((resolve) =>
      clock.setTimer(10_000, () => {
        running--;
        resolve(payload);
      }),
    );
  });
  const definition: StateMachineDefinition = {
    QueryLanguage: 'JSONata',
    StartAt: 'M',
    States: {
      M: {
        Type: 'Map',
        Items: '{% $states.input %}',
        MaxConcurrency: maxConcurrency,
        ItemProcessor: {
          ...(mode === 'DISTRIBUTED'
            ? { ProcessorConfig: { Mode: mode, ExecutionType: 'STANDARD' as const } }
            : {}),
          StartAt: 'Work',
          States: {
            Work: {
              Type: 'Task',
              Resource: 'arn:aws:lambda:us-east-1:123456789012:function:slow',
              End: true,
            },
          },
        },
        End: true,
      },
    },
  };
  const items = Array.from({ length: count }, (_, i) => i);
  // Act
  const { executionArn } = await sfn.startExecution({ definition, input: JSON.stringify(items) });
  for (let i = 0; i < 100; i++) {
    await settle();
    if (!(await clock.advanceToNext())) break;
  }
  const result = await sfn.waitForExecution(executionArn);
  return { result, most, started, items };
}

describe('Map state: MaxConcurrency', () => {
  for (const mode of ['INLINE', 'DISTRIBUTED'] as const) {
    it(`${mode}: runs at most MaxConcurrency iterations at once, in waves, keeping item order`, async () => {
      const { result, most, started, items } = await runMap(mode, 7, 3);
      // Assess
      expect(result.status).toBe('SUCCEEDED');
      expect(JSON.parse(result.output ?? 'null')).toEqual(items);
      expect(most).toBe(3);
      expect(started).toEqual([0, 0, 0, 10, 10, 10, 20]);
    });

    it(`${mode}: MaxConcurrency 0 runs every iteration at once`, async () => {
      const { most, started } = await runMap(mode, 5, 0);
      expect(most).toBe(5);
      expect(started).toEqual([0, 0, 0, 0, 0]);
    });
  }
});
