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
 * A client, or how to make the client for one action.
 *
 * @example
 * ```ts
 * const shared: ClientSource<CodeBuildClient> = new CodeBuildClient({});
 * const perAction: ClientSource<CodeBuildClient> = (run) => clients.client(CodeBuildClient, run);
 * ```
 */
export type ClientSource<C> = C | ((run: ActionRun) => C | Promise<C>);

/**
 * The client for `run`.
 *
 * @example
 * ```ts
 * const s3 = await clientOf(options.s3, run);
 * ```
 */
export async function clientOf<C extends object>(source: ClientSource<C>, run: ActionRun): Promise<C> {
  return typeof source === 'function' ? await (source as (run: ActionRun) => C | Promise<C>)(run) : source;
}
