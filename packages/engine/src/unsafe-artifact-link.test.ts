import { describe, expect, it } from 'vitest';
import { unsafeArtifactLink, withoutUnsafeLinks } from './unsafe-artifact-link.ts';

describe('unsafeArtifactLink', () => {
  it('accepts links to siblings and up within the artifact', () => {
    expect(
      unsafeArtifactLink([
        { path: 'a/b/link', type: 'symlink', target: '../c/file' },
        { path: 'a/c/file', type: 'file' },
      ]),
    ).toBeUndefined();
  });

  it('rejects a link through another link, out of the artifact, absolute, or with entries below it', () => {
    expect(
      unsafeArtifactLink([
        { path: 'l1', type: 'symlink', target: 'x' },
        { path: 'l2', type: 'symlink', target: 'l1/y' },
      ])?.link,
    ).toBe('l2');
    expect(unsafeArtifactLink([{ path: 'a/l', type: 'symlink', target: '../../etc' }])?.link).toBe('a/l');
    expect(unsafeArtifactLink([{ path: 'l', type: 'symlink', target: '/etc/passwd' }])?.link).toBe('l');
    expect(
      unsafeArtifactLink([
        { path: 'd', type: 'symlink', target: 'e' },
        { path: 'd/f', type: 'file' },
      ]),
    ).toEqual({ link: 'd', reason: 'd/f lies below the symlink d' });
  });

  it('leaves out the unsafe links and keeps the rest, including a link made safe by dropping another', () => {
    const kept = withoutUnsafeLinks([
      { path: 'a', type: 'file' },
      { path: 'out', type: 'symlink', target: '../x' },
      { path: 'via', type: 'symlink', target: 'out/y' },
      { path: 'in', type: 'symlink', target: 'a' },
    ]);
    expect(kept.map((e) => e.path)).toEqual(['a', 'via', 'in']);
  });
});
