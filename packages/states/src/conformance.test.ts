import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { type ConformanceCase, runConformanceCase } from './conformance-harness.ts';

const dir = fileURLToPath(new URL('../../../test/fixtures/asl/', import.meta.url));
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.json'))
  .sort();

describe('conformance (test/fixtures/asl)', () => {
  it('has at least 80 golden cases', () => {
    expect(files.length).toBeGreaterThanOrEqual(80);
  });

  it('cites the AWS documentation page each case follows', () => {
    for (const file of files) {
      const c = JSON.parse(readFileSync(join(dir, file), 'utf8')) as ConformanceCase;
      expect(c.source, file).toMatch(
        /^https:\/\/docs\.aws\.amazon\.com\/step-functions\/latest\/(dg|apireference)\/[\w-]+\.html/,
      );
    }
  });

  it('covers every state type in both query languages and every Map mode', () => {
    const definitions = files.map((f) =>
      JSON.stringify(JSON.parse(readFileSync(join(dir, f), 'utf8')).definition),
    );
    for (const type of ['Pass', 'Task', 'Choice', 'Wait', 'Succeed', 'Fail', 'Parallel', 'Map']) {
      expect(
        definitions.some((d) => d.includes(`"Type":"${type}"`)),
        type,
      ).toBe(true);
    }
    for (const field of [
      'InputPath',
      'Parameters',
      'ResultSelector',
      'ResultPath',
      'OutputPath',
      'ItemsPath',
      'ItemBatcher',
      'ToleratedFailureCount',
      'ToleratedFailurePercentage',
      'MaxConcurrency',
      'ItemReader',
      'ResultWriter',
      'Label',
      '"Variable"',
      'SecondsPath',
      'ErrorPath',
      'DISTRIBUTED',
    ]) {
      expect(
        definitions.some((d) => d.includes(field)),
        field,
      ).toBe(true);
    }
  });

  for (const file of files) {
    const c = JSON.parse(readFileSync(join(dir, file), 'utf8')) as ConformanceCase;
    it(`${file.replace(/\.json$/, '')}: ${c.description}`, async () => {
      // Act
      const got = await runConformanceCase(c);
      // Assess
      const want = c.expect;
      if (want.invalid) {
        expect(got.refused?.name).toBe('InvalidDefinition');
        for (const part of want.invalid) expect(got.refused?.message).toContain(part);
        return;
      }
      expect(got.refused).toBeUndefined();
      for (const [i, step] of (c.script ?? []).entries()) {
        expect(got.stepErrors[i], `script step ${i}`).toBe(step.expectError ?? step.expectStatus);
      }
      if (want.status !== undefined) expect(got.status).toBe(want.status);
      if ('output' in want) expect(got.output).toEqual(want.output);
      if (want.error !== undefined) expect(got.error).toBe(want.error);
      if (want.cause !== undefined) expect(got.cause).toBe(want.cause);
      if (want.events) expect(got.events).toEqual(want.events);
      if (want.scheduledAt) expect(got.scheduledAt).toEqual(want.scheduledAt);
      if (want.stoppedAt !== undefined) expect(got.stoppedAt).toBe(want.stoppedAt);
      if (want.payloads)
        for (const [fn, list] of Object.entries(want.payloads)) expect(got.payloads[fn]).toEqual(list);
      if (want.openTokens !== undefined) expect(got.openTokens).toBe(want.openTokens);
    });
  }
});
