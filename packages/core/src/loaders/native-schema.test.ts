import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { NATIVE_PIPELINE_SCHEMA, nativePipelineJsonSchema } from './native-schema.ts';

const read = (relative: string): string => readFileSync(new URL(relative, import.meta.url), 'utf8');

describe('nativePipelineJsonSchema', () => {
  it('equals the committed schema/pipeline.schema.json (run `node packages/core/schema/generate.ts` to update)', () => {
    const committed: unknown = JSON.parse(read('../../schema/pipeline.schema.json'));
    expect(committed).toEqual(nativePipelineJsonSchema());
  });

  it('forbids unknown keys, so editors flag typos', () => {
    const schema = nativePipelineJsonSchema();
    expect(schema.additionalProperties).toBe(false);
    expect(schema.required).toEqual(['name', 'stages']);
  });
});

describe('NATIVE_PIPELINE_SCHEMA', () => {
  it('accepts the native example fixture', () => {
    const doc: unknown = parse(read('../../../../test/fixtures/pipelines/native-web-app.yaml'));
    expect(NATIVE_PIPELINE_SCHEMA.safeParse(doc).success).toBe(true);
  });

  it('rejects an action type that is not Category/Provider', () => {
    const doc = { name: 'p', stages: [{ name: 'S', actions: [{ name: 'A', type: 'Git' }] }] };
    expect(NATIVE_PIPELINE_SCHEMA.safeParse(doc).success).toBe(false);
  });
});
