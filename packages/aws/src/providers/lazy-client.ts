/**
 * An AWS SDK client given as itself or as a function that makes it — the action runner passes
 * the deploy providers' clients as `() => import(…)` so each is loaded (from its own bundle
 * chunk) only when an action first needs it, keeping the function's cold start small.
 *
 * @example
 * ```ts
 * const codedeploy: ClientSource<CodeDeployClient> = async () => new (await import('@aws-sdk/client-codedeploy')).CodeDeployClient({});
 * const client = await clientOf(codedeploy);
 * ```
 */

/** A client, or how to make it. @example `async () => new CodeDeployClient({})` */
export type ClientSource<C> = C | (() => Promise<C>);

const made = new WeakMap<() => Promise<unknown>, Promise<unknown>>();

/**
 * The client (made once per source).
 *
 * @example
 * ```ts
 * const ecs = await clientOf(options.ecs);
 * ```
 */
export function clientOf<C extends object>(source: ClientSource<C>): Promise<C> {
  if (typeof source !== 'function') return Promise.resolve(source);
  const make = source as () => Promise<C>;
  let client = made.get(make) as Promise<C> | undefined;
  if (client === undefined) {
    client = make();
    made.set(make, client);
  }
  return client;
}
