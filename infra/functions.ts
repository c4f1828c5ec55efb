/**
 * The six Lambda functions as SST Functions (SST bundles the handlers with esbuild): names,
 * handlers, timeouts, memory, permissions and environment all from the deployment plan. The
 * validated, normalized definitions (`pipelines.json`, written by `index.ts`) are copied into
 * each bundle's `pipelines/` (the handlers' `PIPELINES_DIR` default): a cold start reads JSON,
 * with no YAML parser in the bundle. The AWS SDK's credential sources other than the
 * environment are left out of the bundles (`LAMBDA_EXTERNAL_MODULES`). The HTTP function has the one Function URL (API, approval pages, webhooks); its
 * URL is every function's `PUBLIC_URL`.
 *
 * Uses SST's globals (`sst`): see docs/aws.md for the offline and online typecheck.
 */
import { LAMBDA_EXTERNAL_MODULES } from '@pipewright/aws';
import { FUNCTION_KEYS, type FunctionKey, LAMBDA_RUNTIME } from '@pipewright/core/deploy';
import type * as pulumi from '@pulumi/pulumi';
import type { Plan } from './shared-resources.ts';
import { toSstPermissions } from './sst-permissions.ts';

/** An SST Function. @example `pipewrightFunctions(plan, []).http.url` */
export type SstFunctionComponent = InstanceType<typeof sst.aws.Function>;
type FunctionArgs = ConstructorParameters<typeof sst.aws.Function>[1];

const LOGICAL: Record<FunctionKey, string> = {
  actionRunner: 'ActionRunner',
  stageGate: 'StageGate',
  callback: 'Callback',
  trigger: 'Trigger',
  projector: 'Projector',
  http: 'Http',
};

/**
 * Declares the functions of `plan`, after `dependsOn` (the table, bus, bucket and secrets
 * they use from their first invocation).
 *
 * @example
 * ```ts
 * const functions = pipewrightFunctions(plan, [shared.table, shared.bus], '.sst/pipewright/pipelines');
 * functions.http.url; // the app's URL
 * ```
 */
export function pipewrightFunctions(
  plan: Plan,
  dependsOn: pulumi.Input<pulumi.Resource>[],
  /** The directory holding `pipelines.json`, relative to the project root. */
  pipelinesDirectory: string,
): Record<FunctionKey, SstFunctionComponent> {
  const create = (key: FunctionKey, publicUrl?: pulumi.Input<string>): SstFunctionComponent => {
    const f = plan.functions[key];
    const args: FunctionArgs = {
      name: f.name,
      description: f.description,
      handler: f.handler,
      runtime: LAMBDA_RUNTIME,
      timeout: `${f.timeoutSeconds} seconds`,
      memory: `${f.memoryMb} MB`,
      environment: { ...plan.environment, ...(publicUrl === undefined ? {} : { PUBLIC_URL: publicUrl }) },
      permissions: toSstPermissions(f.inlinePolicy),
      ...(f.managedPolicies.length > 0 ? { policies: f.managedPolicies.map((m) => m.arn) } : {}),
      copyFiles: [{ from: pipelinesDirectory, to: 'pipelines' }],
      // splitting: clients imported lazily (the AWS deploy providers') load from their own chunks.
      nodejs: { splitting: true, esbuild: { external: [...LAMBDA_EXTERNAL_MODULES] } },
      logging: { format: 'json' },
      // The URL streams responses: the dashboard's Server-Sent Events (packages/aws/src/lambda/http.ts).
      ...(f.url ? { url: { authorization: 'none', cors: false }, streaming: true } : {}),
    };
    return new sst.aws.Function(LOGICAL[key], args, { dependsOn });
  };
  const http = create('http');
  http.addEnvironment({ PUBLIC_URL: http.url });
  const functions = { http } as Record<FunctionKey, SstFunctionComponent>;
  for (const key of FUNCTION_KEYS) if (key !== 'http') functions[key] = create(key, http.url);
  return functions;
}
