import { describe, expect, it } from 'vitest';
import { JsonataEvaluator } from './jsonata-evaluator.ts';

const evaluator = new JsonataEvaluator({ now: () => 0, uuid: () => 'u-1', random: () => 0.5 });
const scope = (variables: Record<string, unknown> = {}) => ({ states: { input: { a: 1 } }, variables });

describe('JsonataEvaluator.evaluate', () => {
  it('evaluates templates nested in objects and arrays and keeps literals', async () => {
    const value = { x: '{% $states.input.a + $v %}', list: ['{% $v %}', 'plain', 3], s: 'not {% a template' };
    expect(await evaluator.evaluate(value, scope({ v: 2 }), 'Output', 'S')).toEqual({
      x: 3,
      list: [2, 'plain', 3],
      s: 'not {% a template',
    });
  });

  it('raises States.QueryEvaluationError naming the field and state for an unassigned variable', async () => {
    await expect(
      evaluator.evaluate({ x: '{% $missing %}' }, scope(), 'Arguments', 'Deploy'),
    ).rejects.toMatchObject({
      error: 'States.QueryEvaluationError',
      message: expect.stringMatching(/Deploy.*Arguments\/x.*\$missing.*not assigned/),
    });
  });

  it('does not mistake lambda parameters, := bindings or function names for variables', async () => {
    const t = '{% ($k := 3; $map([1, 2], function($i) { $i * $k }) ~> $sum()) %}';
    expect(await evaluator.evaluate(t, scope(), 'Output', 'S')).toBe(9);
  });

  it('turns JSONata sequences into plain arrays', async () => {
    expect(await evaluator.evaluate('{% [1,2,3][$ > 1] %}', scope(), 'Output', 'S')).toEqual([2, 3]);
  });
});
