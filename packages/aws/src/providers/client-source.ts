/**
 * Where a provider gets an AWS SDK client for one action: one shared client (the function's
 * own credentials and region), or a function of the action — the cross-account and
 * cross-region case, where an action's `roleArn` and `region` pick the credentials and the
 * region of its calls (`action-clients.ts`).
 *
 * @example
 * ```ts
 * const codebuild = await clientOf(options.codebuild, run);
 * ```
 */
import type { ActionRun } from '@pipewright/engine';

/**
 * What picks an action's client: its execution (the STS session name), its declaration
 * (`roleArn`, `region`) and, while it runs, its abort signal. An {@link ActionRun} is one; so
 * is the `ActionCancelRequest` of a stop, so cleanups use the same role and region.
 *
 * @example
 * ```ts
 * const scope: ClientScope = { executionId: '7f0c…', action };
 * ```
 */
export type ClientScope = Pick<ActionRun, 'executionId' | 'action'> & { signal?: AbortSignal };

/**
 * A client, or how to make the client for one action (a function with no parameter also
 * fits: a client imported lazily from its own bundle chunk, `() => import(…)`).
 *
 * @example
 * ```ts
 * const shared: ClientSource<CodeBuildClient> = new CodeBuildClient({});
 * const perAction: ClientSource<CodeBuildClient> = (run) => clients.client(CodeBuildClient, run);
 * ```
 */
export type ClientSource<C> = C | ((scope: ClientScope) => C | Promise<C>);

/**
 * The client for `run`.
 *
 * @example
 * ```ts
 * const s3 = await clientOf(options.s3, run);
 * ```
 */
export async function clientOf<C extends object>(source: ClientSource<C>, scope: ClientScope): Promise<C> {
  return typeof source === 'function'
    ? await (source as (scope: ClientScope) => C | Promise<C>)(scope)
    : source;
}
