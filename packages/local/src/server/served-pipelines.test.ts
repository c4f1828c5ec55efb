import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { testPipeline } from '@pipewright/core/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { type LoadedFile, ServedPipelines } from './served-pipelines.ts';

const made: string[] = [];
afterEach(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** Files that exist (ServedPipelines.get checks that a served file is still there). */
function files(...names: string[]): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'pw-served-'));
  made.push(dir);
  return names.map((name) => {
    const file = join(dir, name);
    writeFileSync(file, '');
    return file;
  });
}

const valid = (file: string, ...names: string[]): LoadedFile => ({
  file,
  pipelines: names.map((name) => testPipeline([], { name })),
});
const broken = (file: string): LoadedFile => ({ file, problems: [`${file}:1:1 stages: required`] });

/** Plans and commits one look at the directory. */
function look(served: ServedPipelines, loaded: LoadedFile[]) {
  const change = served.plan(loaded);
  served.commit(change);
  return change;
}

describe('ServedPipelines.plan', () => {
  it('refuses a second file naming a served pipeline, naming both files, and keeps the first', () => {
    // Prepare
    const [a = '', b = ''] = files('a.yaml', 'b.yaml');
    const served = new ServedPipelines();
    look(served, [valid(a, 'web')]);

    // Act
    const change = look(served, [valid(a, 'web'), valid(b, 'web')]);

    // Assess
    expect(change.problems).toEqual([
      `${b}: pipeline "web" is already served from ${a}; this file is not served — give one of them another name`,
    ]);
    expect(served.get('web')?.file).toBe(a);
    expect(change.removed).toEqual([]);
  });

  it('keeps the served name with its file even when the second file sorts first', () => {
    const [a = '', z = ''] = files('a.yaml', 'z.yaml');
    const served = new ServedPipelines();
    look(served, [valid(z, 'web')]);

    const change = look(served, [valid(a, 'web'), valid(z, 'web')]);

    expect(change.problems[0]).toContain(`${a}: pipeline "web" is already served from ${z}`);
    expect(served.get('web')?.file).toBe(z);
  });

  it('keeps the last good pipelines of a file that no longer loads, and says so', () => {
    const [a = ''] = files('a.yaml');
    const served = new ServedPipelines();
    look(served, [valid(a, 'web')]);

    const change = look(served, [broken(a)]);

    expect(change.problems).toEqual([
      `${a}:1:1 stages: required`,
      `${a} is invalid: the last good version keeps running`,
    ]);
    expect(served.get('web')?.file).toBe(a);
    expect(change.removed).toEqual([]);
  });

  it('stops serving the pipelines of a removed file, and serves a file that moved the name', () => {
    const [a = '', b = ''] = files('a.yaml', 'b.yaml');
    const served = new ServedPipelines();
    look(served, [valid(a, 'web'), valid(b, 'api')]);

    const removed = look(served, [valid(b, 'api')]);
    const moved = look(served, [valid(b, 'web')]);

    expect(removed.removed.map((s) => s.pipeline.name)).toEqual(['web']);
    expect(served.get('web')?.file).toBe(b);
    expect(moved.removed.map((s) => s.pipeline.name)).toEqual(['api']);
    expect(served.all().map((s) => s.pipeline.name)).toEqual(['web']);
  });

  it('does not serve a pipeline whose file was deleted, before the directory is read again', () => {
    const [a = ''] = files('a.yaml');
    const served = new ServedPipelines();
    look(served, [valid(a, 'web')]);

    rmSync(a);

    expect(served.get('web')).toBeUndefined();
    expect(served.all()).toEqual([]);
    expect(served.previous('web')?.file).toBe(a);
  });
});
