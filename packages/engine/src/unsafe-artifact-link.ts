/**
 * Symlinks inside an artifact, checked the same way by every artifact store (local manifests,
 * S3 zips): a link's target must be relative, resolve inside the artifact and pass through no
 * other link, and no entry may sit below a link — so extracting never writes through a link.
 *
 * @example
 * ```ts
 * unsafeArtifactLink([{ path: 'x', type: 'symlink', target: '/etc/passwd' }]); // { link: 'x', reason: '…' }
 * ```
 */

/** An artifact entry as far as link safety goes. @example `{ path: 'dist/latest', type: 'symlink', target: 'v2' }` */
export interface ArtifactEntryShape {
  path: string;
  type: string;
  /** A symlink's target. */
  target?: string;
}

/**
 * The first unsafe symlink among `entries` and why, or `undefined` when all are safe.
 *
 * @example
 * ```ts
 * unsafeArtifactLink([{ path: 'a/b', type: 'file' }, { path: 'a', type: 'symlink', target: '..' }]); // { link: 'a', … }
 * ```
 */
export function unsafeArtifactLink(
  entries: readonly ArtifactEntryShape[],
): { link: string; reason: string } | undefined {
  const links = new Set(entries.filter((e) => e.type === 'symlink').map((e) => e.path));
  if (links.size === 0) return undefined;
  for (const entry of entries) {
    const segments = entry.path.split('/');
    for (let i = 1; i < segments.length; i++) {
      const prefix = segments.slice(0, i).join('/');
      if (links.has(prefix))
        return { link: prefix, reason: `${entry.path} lies below the symlink ${prefix}` };
    }
    if (entry.type !== 'symlink' || entry.target === undefined) continue;
    const outside = {
      link: entry.path,
      reason: `${entry.path} -> ${entry.target} points outside the artifact or through another symlink`,
    };
    const { target } = entry;
    if (target.length === 0 || target.startsWith('/') || target.includes('\0') || target.includes('\\')) {
      return outside;
    }
    const stack = segments.slice(0, -1);
    for (const segment of target.split('/')) {
      if (segment === '' || segment === '.') continue;
      if (segment === '..') {
        if (stack.length === 0) return outside;
        stack.pop();
      } else {
        stack.push(segment);
        if (links.has(stack.join('/'))) return outside;
      }
    }
  }
  return undefined;
}

/**
 * `entries` without the symlinks that could lead outside the artifact, dropped one at a time
 * (dropping a link can make another safe): what every store keeps of a directory it stores.
 *
 * @example
 * ```ts
 * withoutUnsafeLinks([{ path: 'x', type: 'symlink', target: '/etc' }, { path: 'a', type: 'file' }]); // [{ path: 'a', … }]
 * ```
 */
export function withoutUnsafeLinks<E extends ArtifactEntryShape>(entries: readonly E[]): E[] {
  let kept = [...entries];
  for (let bad = unsafeArtifactLink(kept); bad; bad = unsafeArtifactLink(kept)) {
    const { link } = bad;
    kept = kept.filter((e) => e.path !== link);
  }
  return kept;
}
