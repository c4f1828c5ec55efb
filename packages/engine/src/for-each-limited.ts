/**
 * Runs `fn` over `items` with at most `limit` calls in flight (artifact stores read and write
 * many files at once, but not all at once). Rejects with the first failure.
 *
 * @example
 * ```ts
 * await forEachLimited(files, 16, async (file, i) => { sizes[i] = (await stat(file)).size; });
 * ```
 */
export async function forEachLimited<T>(
  items: readonly T[],
  limit: number,
  fn: (item: T, index: number) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      await fn(items[i] as T, i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
