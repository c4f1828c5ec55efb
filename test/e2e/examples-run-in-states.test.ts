/**
 * Every definition the compiler emits for `examples/` runs to completion in the local
 * `states` runtime (issue 3's acceptance): load → validate → compile → run, with handlers
 * that enter every stage and succeed every action by task token.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadPipelines, validatePipeline } from '@pipewright/core';
import { describe, expect, it } from 'vitest';
import { runCompiledPipeline } from '../support/compiled-run.ts';

const examples = fileURLToPath(new URL('../../examples/', import.meta.url));
// Pipeline files sit directly in each example's folder; deeper files (the app sources in
// app/, the repository created from them in repo/) and the local settings are not pipelines.
const files = readdirSync(examples, { recursive: true, encoding: 'utf8' })
  .filter((f) => /^[^/\\]+[/\\][^/\\]+\.(ya?ml|json)$/.test(f) && !f.endsWith('pipewright.local.yaml'))
  .sort();

describe('examples run in the states runtime', () => {
  it('finds the examples', () => {
    expect(files.length).toBeGreaterThanOrEqual(3);
  });

  for (const file of files) {
    it(`compiles ${file} and runs it to Succeeded, invoking every action once`, async () => {
      // Prepare
      const { pipelines, diagnostics } = loadPipelines(readFileSync(join(examples, file), 'utf8'), { file });
      expect(pipelines.length).toBeGreaterThan(0);
      for (const loaded of pipelines) {
        const errors = [...diagnostics, ...validatePipeline(loaded)].filter((d) => d.severity === 'error');
        expect(errors).toEqual([]);
        const ran: string[] = [];
        // Act
        const result = await runCompiledPipeline(loaded.pipeline, 'example', (call) => {
          ran.push(`${call.stage}.${call.action}`);
          return { status: 'Succeeded' };
        });
        // Assess
        expect(result.status, result.cause).toBe('SUCCEEDED');
        const expected = loaded.pipeline.stages.flatMap((s) => s.actions.map((a) => `${s.name}.${a.name}`));
        expect([...ran].sort()).toEqual([...expected].sort());
      }
    });
  }
});
