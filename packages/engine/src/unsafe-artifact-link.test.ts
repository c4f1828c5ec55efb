import { describe, expect, it } from 'vitest';
import { unsafeArtifactLink } from './unsafe-artifact-link.ts';

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
});
