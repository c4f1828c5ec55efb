/**
 * Files stay small (issue 13): no non-test TypeScript source under `packages/*\/src`, `infra`
 * or `bench` is over 400 lines. Functions over 80 lines are Biome's job
 * (`complexity/noExcessiveLinesPerFunction` in biome.json); this guards the files. Tests may be
 * longer: a long `describe` reads better than one split only to meet a count.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../support/paths.ts';

const MAX_LINES = 400;
const TEST_FILE = /\.(test|test-helper)\.ts$/;
const SKIPPED_DIRS = new Set(['node_modules', '.tsbuild', 'test-results', '.pipewright']);

/** Every non-test `.ts` file under `dir` (relative to the repository root). */
function sources(dir: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(join(REPO_ROOT, dir), { withFileTypes: true })) {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory()) {
      if (!SKIPPED_DIRS.has(entry.name)) found.push(...sources(path));
    } else if (entry.name.endsWith('.ts') && !TEST_FILE.test(entry.name)) {
      found.push(path);
    }
  }
  return found;
}

/** Lines as `wc -l` counts them (a final newline ends the last line, it does not start one). */
function lineCount(path: string): number {
  const text = readFileSync(join(REPO_ROOT, path), 'utf8');
  return text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
}

const packageSources = readdirSync(join(REPO_ROOT, 'packages'), { withFileTypes: true })
  .filter((p) => p.isDirectory())
  .flatMap((p) => {
    try {
      return sources(`packages/${p.name}/src`);
    } catch {
      return []; // a package without src/
    }
  });
const files = [...packageSources, ...sources('infra'), ...sources('bench')].sort();

describe('source file size', () => {
  it('finds the sources it guards', () => {
    // Assess: a wrong root would pass every file by finding none
    expect(files).toContain('packages/core/src/compiler/compile-pipeline.ts');
    expect(files).toContain('infra/shared-resources.ts');
    expect(files).toContain('bench/dashboard.bench.ts');
    expect(files.some((f) => TEST_FILE.test(f))).toBe(false);
  });

  it(`keeps every non-test source at ${MAX_LINES} lines or fewer`, () => {
    // Act
    const oversized = files
      .map((file) => ({ file, lines: lineCount(file) }))
      .filter((f) => f.lines > MAX_LINES)
      .map((f) => `${f.file}: ${f.lines} lines`);

    // Assess: split each named file into smaller files named after their one concept
    expect(oversized).toEqual([]);
  });
});
