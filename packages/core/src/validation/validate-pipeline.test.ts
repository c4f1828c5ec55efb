import { describe, expect, it } from 'vitest';
import type { SourceMap } from '../model/source-map.ts';
import { actionAt, codes, validate, validPipeline } from './test-pipeline.test-helper.ts';
import { validateLoaded, validatePipeline } from './validate-pipeline.ts';

describe('validatePipeline', () => {
  it('reports nothing for a valid pipeline', () => {
    expect(validate(validPipeline())).toEqual([]);
  });

  it('reports every problem at once', () => {
    // Prepare
    const p = validPipeline();
    p.name = 'bad name';
    actionAt(p, 1).runOrder = 0;
    actionAt(p, 3).inputArtifacts = [{ name: 'Nope' }];
    // Act
    const found = codes(p);
    // Assess
    expect(found).toEqual(
      expect.arrayContaining(['invalid-pipeline-name', 'invalid-run-order', 'artifact-not-produced']),
    );
  });

  it('puts the file and the source-map location on each diagnostic, in document order', () => {
    // Prepare
    const p = validPipeline();
    p.name = 'bad name';
    actionAt(p, 1).runOrder = 0;
    const sourceMap: SourceMap = { locate: (path) => ({ line: path.length === 1 ? 9 : 3, col: 5 }) };
    // Act
    const diagnostics = validatePipeline({
      pipeline: p,
      format: 'native',
      sourceMap,
      file: 'p.yaml',
      unresolved: [],
    });
    // Assess
    expect(diagnostics.map((d) => [d.code, d.location])).toEqual([
      ['invalid-run-order', { file: 'p.yaml', line: 3, col: 5 }],
      ['invalid-pipeline-name', { file: 'p.yaml', line: 9, col: 5 }],
    ]);
  });

  it('skips pattern checks at unresolved intrinsic paths', () => {
    // Prepare
    const p = validPipeline();
    p.roleArn = '!GetAtt Role.Arn';
    // Act
    const diagnostics = validate(p, [['roleArn']]);
    // Assess
    expect(diagnostics).toEqual([]);
  });

  it('does not throw when a source map throws', () => {
    // Prepare
    const p = validPipeline();
    p.name = '';
    const sourceMap: SourceMap = {
      locate: () => {
        throw new Error('boom');
      },
    };
    // Act
    const diagnostics = validatePipeline({ pipeline: p, format: 'native', sourceMap, unresolved: [] });
    // Assess
    expect(diagnostics.map((d) => d.code)).toEqual(['invalid-pipeline-name']);
  });
});

describe('validateLoaded', () => {
  it('returns loader diagnostics followed by validation diagnostics', () => {
    // Prepare
    const p = validPipeline();
    p.stages = p.stages.slice(0, 1);
    const loaderDiagnostic = { severity: 'warning' as const, code: 'loader', path: [], message: 'x' };
    // Act
    const diagnostics = validateLoaded({
      pipelines: [{ pipeline: p, format: 'native', sourceMap: { locate: () => undefined }, unresolved: [] }],
      diagnostics: [loaderDiagnostic],
    });
    // Assess
    expect(diagnostics.map((d) => d.code)).toEqual(['loader', 'too-few-stages']);
  });
});
