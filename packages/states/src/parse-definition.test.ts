import { describe, expect, it } from 'vitest';
import { InvalidDefinition } from './errors.ts';
import { parseDefinition } from './parse-definition.ts';

describe('parseDefinition', () => {
  it('accepts a JSON text definition and returns it parsed', () => {
    const text = '{"QueryLanguage":"JSONata","StartAt":"A","States":{"A":{"Type":"Succeed"}}}';
    expect(parseDefinition(text).StartAt).toBe('A');
  });

  it('reports every problem at once, each naming the state and field', () => {
    // Prepare
    const definition = {
      QueryLanguage: 'JSONata',
      StartAt: 'A',
      States: {
        A: { Type: 'Pass', InputPath: '$', Next: 'B' },
        B: {
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke',
          Arguments: { FunctionName: 'f' },
          Retry: [{ ErrorEquals: [] }],
          End: true,
        },
      },
    };
    // Act
    let error: unknown;
    try {
      parseDefinition(definition);
    } catch (e) {
      error = e;
    }
    // Assess
    expect(error).toBeInstanceOf(InvalidDefinition);
    const problems = (error as InvalidDefinition).problems;
    expect(problems).toHaveLength(2);
    expect(problems[0]).toMatch(/state 'A': field 'InputPath' belongs to JSONPath.*use Arguments/);
    expect(problems[1]).toMatch(/state 'B'.*Retry.*ErrorEquals/);
  });

  it('refuses text that is not JSON', () => {
    expect(() => parseDefinition('{')).toThrow(/not JSON/);
  });
});
