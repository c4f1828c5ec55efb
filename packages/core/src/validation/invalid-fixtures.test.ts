import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadPipelines } from '../loaders/index.ts';
import { formatDiagnostic } from '../model/diagnostic.ts';
import { validateLoaded } from './validate-pipeline.ts';

// Each test/fixtures/invalid/<rule-code>[.variant].<yaml|json> breaks one rule; the sibling
// <file>.expected.txt holds every diagnostic it produces, formatted `file:line:col path: message`.
// Regenerate after an intended message change with UPDATE_FIXTURES=1 and review the diff.
const dir = join(import.meta.dirname, '../../../../test/fixtures/invalid');
const files = readdirSync(dir)
  .filter((f) => /\.(ya?ml|json)$/.test(f))
  .sort();

function diagnose(file: string): { lines: string[]; codes: string[] } {
  const result = loadPipelines(readFileSync(join(dir, file), 'utf8'), { file });
  const diagnostics = validateLoaded(result);
  return { lines: diagnostics.map(formatDiagnostic), codes: diagnostics.map((d) => d.code) };
}

describe('validatePipeline on invalid fixtures', () => {
  it('has at least 40 invalid definitions, each with its expected diagnostics', () => {
    // Assess
    expect(files.length).toBeGreaterThanOrEqual(40);
    expect(files.filter((f) => !existsSync(join(dir, `${f}.expected.txt`)))).toEqual([]);
  });

  for (const file of files) {
    const code = file.slice(0, file.indexOf('.'));
    it(`reports ${code} for ${file}`, () => {
      // Act
      const { lines, codes } = diagnose(file);
      // Assess
      const expectedFile = join(dir, `${file}.expected.txt`);
      if (process.env.UPDATE_FIXTURES === '1') writeFileSync(expectedFile, `${lines.join('\n')}\n`);
      const expected = readFileSync(expectedFile, 'utf8')
        .split('\n')
        .filter((l) => l !== '');
      expect(codes).toContain(code);
      expect(lines).toEqual(expected);
    });
  }
});
