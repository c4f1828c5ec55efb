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

  it('checks each state in its own query language and lists every problem of a mixed machine', () => {
    // Prepare
    const definition = {
      StartAt: 'A',
      States: {
        A: { Type: 'Pass', Parameters: { 'x.$': '$.a[' }, ResultPath: '$.b[*]', Next: 'B' },
        B: { Type: 'Pass', QueryLanguage: 'JSONata', OutputPath: '$.x', Next: 'C' },
        C: {
          Type: 'Choice',
          Choices: [{ Variable: '$.n', NumericEquals: 'one', StringEquals: 'x', Next: 'D' }],
        },
        D: { Type: 'Task', Resource: 'arn:aws:states:::nothing', End: true },
      },
    };
    // Act
    const problems = (() => {
      try {
        parseDefinition(definition);
        return [];
      } catch (e) {
        return [...(e as InvalidDefinition).problems];
      }
    })();
    // Assess
    expect(problems).toEqual([
      expect.stringMatching(/state 'A': field 'ResultPath' must be a Reference Path/),
      expect.stringMatching(/state 'A': field 'Parameters'\.x\.\$ must be a JSONPath/),
      expect.stringMatching(
        /state 'B': field 'OutputPath' belongs to JSONPath, which a JSONata state may not use; use Output/,
      ),
      expect.stringMatching(
        /state 'C': field 'Choices\[0\]' must have either Variable with exactly one comparison operator/,
      ),
      expect.stringMatching(/state 'D': field 'Resource' "arn:aws:states:::nothing" is not a Task resource/),
    ]);
  });

  it('accepts a JSONPath machine (the default) holding JSONata states', () => {
    const definition = {
      StartAt: 'A',
      States: {
        A: { Type: 'Pass', Parameters: { 'x.$': "States.Format('{}', $.a)" }, Next: 'B' },
        B: { Type: 'Pass', QueryLanguage: 'JSONata', Output: '{% $states.input.x %}', End: true },
      },
    };
    expect(parseDefinition(definition).States.B?.QueryLanguage).toBe('JSONata');
  });
});
