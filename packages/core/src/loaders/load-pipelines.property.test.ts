import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import type { LoadResult } from '../model/loaded-pipeline.ts';
import { loadPipelines } from './load-pipelines.ts';

function wellFormed(result: LoadResult): void {
  expect(Array.isArray(result.pipelines)).toBe(true);
  for (const d of result.diagnostics) {
    expect(d.location?.line).toBeGreaterThanOrEqual(1);
    expect(d.location?.col).toBeGreaterThanOrEqual(1);
    expect(d.code).not.toBe('internal-error');
  }
}

const formats = fc.constantFrom(
  undefined,
  'native' as const,
  'codepipeline' as const,
  'cloudformation' as const,
);

describe('loadPipelines (properties)', () => {
  it('never throws on arbitrary text, and locates every diagnostic', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), formats, (text, format) => {
        wellFormed(loadPipelines(text, format ? { format } : {}));
      }),
      { numRuns: 500 },
    );
  });

  it('never throws on arbitrary JSON values, as JSON or YAML', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 5 }), formats, (value, format) => {
        wellFormed(loadPipelines(JSON.stringify(value), format ? { format } : {}));
        wellFormed(loadPipelines(stringify(value), format ? { format } : {}));
      }),
      { numRuns: 300 },
    );
  });

  it('never throws on documents shaped like pipelines with arbitrary leaves', () => {
    const leaf = fc.oneof(
      fc.jsonValue({ maxDepth: 2 }),
      fc.constant({ Ref: 'X' }),
      fc.constant({ 'Fn::Sub': ['a', {}] }),
    );
    const action = fc.record(
      {
        name: leaf,
        type: leaf,
        ActionTypeId: leaf,
        actionTypeId: leaf,
        inputs: leaf,
        env: leaf,
        Configuration: leaf,
      },
      { requiredKeys: [] },
    );
    const stage = fc.record(
      { name: leaf, Name: leaf, actions: fc.array(action), Actions: fc.array(action) },
      { requiredKeys: [] },
    );
    const pipeline = fc.record(
      { name: leaf, stages: fc.array(stage, { maxLength: 3 }), triggers: fc.array(leaf), variables: leaf },
      { requiredKeys: [] },
    );
    const doc = fc.oneof(
      pipeline,
      fc.record({ pipeline }),
      fc.record({
        Resources: fc.dictionary(
          fc.string(),
          fc.record({ Type: fc.constant('AWS::CodePipeline::Pipeline'), Properties: pipeline }),
        ),
      }),
    );
    fc.assert(
      fc.property(doc, (value) => {
        wellFormed(loadPipelines(JSON.stringify(value)));
      }),
      { numRuns: 300 },
    );
  });
});
