import { describe, expect, it } from 'vitest';
import { StatesError } from './errors.ts';
import { evaluateIntrinsic } from './intrinsics.ts';
import { javaRandomDouble, javaRandomInt } from './java-random.ts';
import { select } from './jsonpath-io.ts';

const env = { random: () => 0.5, uuid: () => 'uuid-1' };
const input = { s: 'a,b', n: 3, list: [3, 1, 3], obj: { a: 1 } };
const run = (text: string, doc: unknown = input) =>
  evaluateIntrinsic(
    text,
    (p) => select(p, { input: doc, context: { Execution: { Name: 'e' } }, variables: { v: 7 } }),
    env,
  );
const failure = (text: string) => {
  try {
    run(text);
  } catch (e) {
    return e instanceof StatesError ? e.error : String(e);
  }
  return 'no error';
};

describe('evaluateIntrinsic', () => {
  it('formats with {} placeholders, escaped braces and quotes, JSON for non-strings', () => {
    expect(run("States.Format('{} is {}, \\{literal\\} \\'q\\'', $.s, $.n)")).toBe("a,b is 3, {literal} 'q'");
    expect(run("States.Format('{}{}{}', true, null, $$.Execution.Name)")).toBe('truenulle');
    expect(run("States.Format('v={}', $v)")).toBe('v=7');
  });

  it('nests calls and reads paths of the input, the context object and variables', () => {
    expect(run('States.ArrayLength(States.ArrayUnique($.list))')).toBe(2);
    expect(run('States.JsonToString(States.StringToJson(\'{"a":[1]}\'))')).toBe('{"a":[1]}');
  });

  it('computes the array functions', () => {
    expect(run("States.Array($.n, 'x', $.obj)")).toEqual([3, 'x', { a: 1 }]);
    expect(run('States.ArrayPartition($.list, 2)')).toEqual([[3, 1], [3]]);
    expect(run('States.ArrayContains($.list, 1)')).toBe(true);
    expect(run('States.ArrayRange(10, 0, -5)')).toEqual([10, 5, 0]);
    expect(run('States.ArrayGetItem($.list, 1)')).toBe(1);
  });

  it('computes text, hash, math and id functions', () => {
    expect(run("States.Base64Decode(States.Base64Encode('héllo'))")).toBe('héllo');
    expect(run("States.Hash('abc', 'SHA-1')")).toBe('a9993e364706816aba3e25717850c26c9cd0d89d');
    expect(run('States.JsonMerge($.obj, States.StringToJson(\'{"b":2}\'), false)')).toEqual({ a: 1, b: 2 });
    expect(run('States.MathAdd($.n, -4)')).toBe(-1);
    expect(run('States.MathRandom(0, 10)')).toBe(5);
    expect(run('States.MathRandom(0, 10, 42)')).toBe(javaRandomInt(42, 10));
    expect(run("States.StringSplit($.s, ',')")).toEqual(['a', 'b']);
    expect(run('States.UUID()')).toBe('uuid-1');
  });

  it('fails with States.IntrinsicFailure on bad arguments and unknown functions', () => {
    for (const text of [
      'States.ArrayGetItem($.list, 5)',
      "States.Format('{}')",
      "States.Format('x', 1)",
      'States.JsonMerge($.obj, $.obj, true)',
      'States.ArrayPartition($.list, 0)',
      'States.ArrayRange(1, 2000, 1)',
      "States.Hash('a', 'SHA-3')",
      'States.MathAdd($.s, 1)',
      'States.Nope()',
      'States.ArrayLength($.missing)',
      "States.StringToJson('{')",
      'States.Array(',
    ]) {
      expect(failure(text), text).toBe('States.IntrinsicFailure');
    }
  });
});

describe('java-random', () => {
  it('matches java.util.Random', () => {
    // Values of `new java.util.Random(seed)`: nextDouble() for seed 0, nextInt(bound) for seeds 42 and 0.
    expect(javaRandomDouble(0)).toBe(0.730967787376657);
    expect(javaRandomInt(42, 10)).toBe(0);
    expect(javaRandomInt(0, 100)).toBe(60);
  });
});
