/** A promise resolved from outside. */

/** A promise and the function that resolves it. */
export interface Deferred<T> {
  promise: Promise<T>;
  resolve: (value: T) => void;
}

/**
 * A promise a callback resolves later (an approval request, an event seen).
 *
 * @example
 * ```ts
 * const asked = deferred<ApprovalRequest>();
 * await open(pipeline, { onApprovalRequested: (r) => asked.resolve(r) });
 * const request = await asked.promise;
 * ```
 */
export function deferred<T>(): Deferred<T> {
  let resolve: (value: T) => void = () => undefined;
  const promise = new Promise<T>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}
