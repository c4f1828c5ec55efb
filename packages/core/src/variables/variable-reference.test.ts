import { describe, expect, it } from 'vitest';
import { findMalformedReferences, parseVariableReferences } from './variable-reference.ts';

describe('parseVariableReferences', () => {
  it('finds action, pipeline and codepipeline references with offsets', () => {
    // Prepare
    const text = 'v=#{SourceVariables.CommitId} e=#{variables.env} id=#{codepipeline.PipelineExecutionId}';

    // Act
    const refs = parseVariableReferences(text);

    // Assess
    expect(refs.map((r) => [r.namespace, r.name])).toEqual([
      ['SourceVariables', 'CommitId'],
      ['variables', 'env'],
      ['codepipeline', 'PipelineExecutionId'],
    ]);
    for (const r of refs) expect(text.slice(r.start, r.end)).toBe(r.raw);
  });

  it('returns nothing for text without references', () => {
    expect(parseVariableReferences('echo $HOME and # {x.y} and {a.b}')).toEqual([]);
  });

  it('accepts @, - and _ in namespaces and dots in names', () => {
    expect(parseVariableReferences('#{my-ns@1_x.Outputs.Url}')).toEqual([
      { raw: '#{my-ns@1_x.Outputs.Url}', namespace: 'my-ns@1_x', name: 'Outputs.Url', start: 0, end: 24 },
    ]);
  });

  it('skips malformed references but keeps the well-formed ones after them', () => {
    const refs = parseVariableReferences('#{nodot} #{a.b}');
    expect(refs.map((r) => r.raw)).toEqual(['#{a.b}']);
  });

  it('finds adjacent references', () => {
    expect(parseVariableReferences('#{a.b}#{c.d}').map((r) => r.raw)).toEqual(['#{a.b}', '#{c.d}']);
  });
});

describe('findMalformedReferences', () => {
  it.each([
    ['#{CommitId}', 'no namespace'],
    ['#{.CommitId}', 'empty namespace'],
    ['#{Source.}', 'empty variable name'],
    ['#{}', 'no namespace'],
    ['#{So urce.x}', 'namespace "So urce"'],
    ['#{Source.a b}', 'variable name "a b"'],
  ])('reports %s (%s)', (text, fragment) => {
    const [bad, ...rest] = findMalformedReferences(`x ${text} y`);
    expect(rest).toEqual([]);
    expect(bad?.raw).toBe(text);
    expect(bad?.start).toBe(2);
    expect(bad?.end).toBe(2 + text.length);
    expect(bad?.message).toContain(fragment);
  });

  it('reports an unclosed reference up to the next opener', () => {
    const text = 'a #{Source.x b #{c.d}';
    expect(findMalformedReferences(text)).toEqual([
      expect.objectContaining({ raw: '#{Source.x b ', start: 2, end: 15 }),
    ]);
    expect(parseVariableReferences(text).map((r) => r.raw)).toEqual(['#{c.d}']);
  });

  it('reports nothing for well-formed text', () => {
    expect(findMalformedReferences('#{variables.x} #{codepipeline.PipelineExecutionId}')).toEqual([]);
  });
});
