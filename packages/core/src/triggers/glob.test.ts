import { describe, expect, it } from 'vitest';
import { compileGlob, globMatch, validateGlob } from './glob.ts';

// Examples and rules from the CodePipeline user guide, "Working with glob patterns in syntax"
// (https://docs.aws.amazon.com/codepipeline/latest/userguide/syntax-glob.html).
describe('globMatch (documented examples)', () => {
  it.each([
    ['*.java', 'Main.java', true],
    ['*.java', 'Main.class', false],
    ['*.*', 'file.txt', true],
    ['*.*', 'Makefile', false],
    ['*.{java,class}', 'Main.java', true],
    ['*.{java,class}', 'Main.class', true],
    ['*.{java,class}', 'Main.kt', false],
    ['foo.?', 'foo.c', true],
    ['foo.?', 'foo.cc', false],
    ['my-file.jar', 'my-file.jar', true],
    ['my-file.jar', 'sub/my-file.jar', false],
    ['directory/my-file.jar', 'directory/my-file.jar', true],
    ['directory/subdirectory/my-file.jar', 'directory/subdirectory/my-file.jar', true],
    ['**', 'any/depth/file.txt', true],
    ['**', 'top.txt', true],
    ['directory/**', 'directory/a/b/c.txt', true],
    ['directory/**', 'other/a.txt', false],
    ['directory/*', 'directory/a.txt', true],
    ['directory/*', 'directory/sub/a.txt', false],
    ['[abc]x', 'bx', true],
    ['[a-c]x', 'dx', false],
    ['[!a-c]x', 'dx', true],
    ['[!a-c]x', 'ax', false],
    ['[*?\\]x', '?x', true],
    ['[-a]', '-', true],
    ['[!-a]', '-', false],
    ['[!-a]', 'b', true],
    ['\\*', '*', true],
    ['\\*', 'a', false],
  ])('glob %s on %s is %s', (glob, text, expected) => {
    expect(globMatch(glob, text)).toBe(expected);
  });
});

describe('globMatch (trigger filter examples)', () => {
  // From the CodePipeline user guide, "Trigger filtering in the pipeline JSON (CLI)".
  it.each([
    ['projectA/**', 'projectA/src/index.ts', true],
    ['common/**/*.js', 'common/lib/util.js', true],
    ['common/**/*.js', 'common/util.js', false],
    ['**/README.md', 'docs/README.md', true],
    ['**/README.md', 'README.md', false],
    ['feature/**', 'feature/a/b', true],
    ['release/*', 'release/1.0', true],
    ['release/*', 'release/1.0/hotfix', false],
    ['mainline', 'mainline', true],
    ['mainline', 'Mainline', false],
  ])('glob %s on %s is %s', (glob, text, expected) => {
    expect(globMatch(glob, text)).toBe(expected);
  });

  it('treats regex metacharacters literally', () => {
    expect(globMatch('v1.0+(x)|y', 'v1.0+(x)|y')).toBe(true);
    expect(globMatch('v1.0', 'v1x0')).toBe(false);
    expect(globMatch('a/b-c', 'a/b-c')).toBe(true);
  });

  it('never lets ? or [ ] match a slash', () => {
    expect(globMatch('a?b', 'a/b')).toBe(false);
    expect(globMatch('a[!x]b', 'a/b')).toBe(false);
  });

  it('matches nothing for an invalid glob', () => {
    expect(globMatch('{a', '{a')).toBe(false);
  });
});

describe('compileGlob', () => {
  it.each([
    ['{a,{b}}', 'cannot be nested'],
    ['{a,b', 'missing its closing "}"'],
    ['[ab', 'missing its closing "]"'],
    ['[z-a]', 'invalid range z-a'],
    ['a\\', 'lone backslash'],
    ['[a/b]', 'cannot match "/"'],
  ])('rejects %s', (glob, fragment) => {
    const r = compileGlob(glob);
    expect(r.ok).toBe(false);
    expect(r.ok ? '' : r.message).toContain(fragment);
    expect(validateGlob(glob)).toContain(`glob "${glob}"`);
  });

  it('accepts a valid glob', () => {
    expect(validateGlob('release/{v1,v2}/**/*.[jt]s')).toBeUndefined();
  });
});
