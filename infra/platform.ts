/**
 * The two Pulumi packages the resource declarations use, passed in rather than imported: under
 * `sst deploy` they are SST's own copies (the `aws` and `$util` globals, the versions SST
 * installed into `.sst/platform`), so no second copy of `@pulumi/pulumi` with its own runtime
 * state is ever loaded; in tests they are the root devDependencies, with
 * `pulumi.runtime.setMocks`.
 *
 * @example
 * ```ts
 * // sst.config.ts / infra/index.ts
 * const platform: Platform = { aws, pulumi: $util };
 * // test
 * const platform: Platform = { aws: await import('@pulumi/aws'), pulumi: await import('@pulumi/pulumi') };
 * ```
 */
import type * as AwsModule from '@pulumi/aws';
import type * as PulumiModule from '@pulumi/pulumi';

/** `@pulumi/aws` and `@pulumi/pulumi`, as modules. @example `const platform: Platform = { aws, pulumi: $util }` */
export interface Platform {
  aws: typeof AwsModule;
  pulumi: typeof PulumiModule;
}
