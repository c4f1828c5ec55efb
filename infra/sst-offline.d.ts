/**
 * The subset of SST v4's globals that `sst.config.ts` and `infra/` use, for typechecking
 * without `.sst/platform` (which `sst install` downloads and which cannot be fetched here).
 * Modelled on SST's own declarations (`platform/src/config.ts`, `platform/src/global.d.ts`,
 * `platform/src/components/aws/function.ts`, v4): same names, same argument shapes, narrowed
 * to what Pipewright passes. `aws` and `$util` are the real `@pulumi/aws` and `@pulumi/pulumi`
 * types (root devDependencies).
 *
 * Online, with SST's generated types, typecheck with `infra/tsconfig.online.json` instead (it
 * uses `.sst/platform/config.d.ts` and leaves this file out); see docs/aws.md.
 */
import type * as AwsModule from '@pulumi/aws';
import type * as PulumiModule from '@pulumi/pulumi';

type SstInput<T> = PulumiModule.Input<T>;

/** SST's `Duration` of a function timeout (`"20 seconds"`, `"15 minutes"`). */
type SstDurationMinutes = `${number} ${'second' | 'seconds' | 'minute' | 'minutes'}`;
/** SST's `Size` (`"1024 MB"`, `"2 GB"`). */
type SstSize = `${number} ${'MB' | 'GB'}`;

/** `FunctionPermissionArgs` of SST's Function. */
interface SstFunctionPermissionArgs {
  effect?: 'allow' | 'deny';
  actions: string[];
  resources: SstInput<SstInput<string>[]>;
  conditions?: SstInput<
    SstInput<{ test: SstInput<string>; variable: SstInput<string>; values: SstInput<SstInput<string>[]> }>[]
  >;
}

/** The subset of SST's `FunctionArgs` Pipewright uses. */
interface SstFunctionArgs {
  name?: SstInput<string>;
  description?: SstInput<string>;
  handler: SstInput<string>;
  runtime?: SstInput<'nodejs18.x' | 'nodejs20.x' | 'nodejs22.x' | 'nodejs24.x'>;
  timeout?: SstInput<SstDurationMinutes>;
  memory?: SstInput<SstSize>;
  environment?: SstInput<Record<string, SstInput<string>>>;
  permissions?: SstInput<SstFunctionPermissionArgs[]>;
  /** ARNs of managed policies attached to the function's role. */
  policies?: SstInput<SstInput<string>[]>;
  url?: SstInput<
    | boolean
    | {
        authorization?: SstInput<'none' | 'iam'>;
        cors?: SstInput<
          | boolean
          | {
              allowCredentials?: SstInput<boolean>;
              allowHeaders?: SstInput<SstInput<string>[]>;
              allowOrigins?: SstInput<SstInput<string>[]>;
              allowMethods?: SstInput<
                SstInput<'*' | 'DELETE' | 'GET' | 'HEAD' | 'OPTIONS' | 'PATCH' | 'POST' | 'PUT'>[]
              >;
              exposeHeaders?: SstInput<SstInput<string>[]>;
            }
        >;
      }
  >;
  /** Response streaming (Function URL `RESPONSE_STREAM`). */
  streaming?: SstInput<boolean>;
  copyFiles?: SstInput<{ from: SstInput<string>; to?: SstInput<string> }[]>;
  logging?: SstInput<false | { retention?: SstInput<string>; format?: SstInput<'text' | 'json'> }>;
  architecture?: SstInput<'x86_64' | 'arm64'>;
  nodejs?: SstInput<{
    minify?: SstInput<boolean>;
    splitting?: SstInput<boolean>;
    esbuild?: SstInput<{ external?: string[] }>;
  }>;
}

/** The members of SST's `Function` component Pipewright uses. */
interface SstFunction extends PulumiModule.ComponentResource {
  /** The function's ARN. */
  readonly arn: PulumiModule.Output<string>;
  /** The function's name. */
  readonly name: PulumiModule.Output<string>;
  /** The Function URL (`url` enabled). */
  readonly url: PulumiModule.Output<string>;
  readonly nodes: {
    function: PulumiModule.Output<AwsModule.lambda.Function>;
    role: AwsModule.iam.Role;
  };
  /** Adds environment variables after the function exists (e.g. its own URL). */
  addEnvironment(environment: SstInput<Record<string, SstInput<string>>>): PulumiModule.Resource;
}

/** `App` returned by `app()` in `sst.config.ts`. */
interface SstAppConfig {
  name: string;
  home: 'aws' | 'cloudflare' | 'local';
  removal?: 'remove' | 'retain' | 'retain-all';
  protect?: boolean;
  providers?: Record<string, unknown>;
  version?: string;
}

/** `Config` of `sst.config.ts`. */
interface SstConfig {
  app(input: { stage: string }): SstAppConfig;
  run(): Promise<Record<string, unknown> | undefined>;
}

declare global {
  /** Declares the app (`sst.config.ts`'s default export). */
  function $config(input: SstConfig): SstConfig;
  /** The app being deployed. */
  const $app: {
    readonly name: string;
    readonly stage: string;
    readonly removal: 'remove' | 'retain' | 'retain-all';
    readonly protect: boolean;
  };
  /** True in `sst dev`. */
  const $dev: boolean;
  /** The CLI's context: `paths.root` is the directory of `sst.config.ts`. */
  const $cli: {
    readonly command: string;
    readonly paths: {
      readonly home: string;
      readonly root: string;
      readonly work: string;
      readonly platform: string;
    };
  };
  /** `@pulumi/pulumi`, as SST installed it. */
  const $util: typeof PulumiModule;
  /** `@pulumi/aws`, as SST installed it. */
  const aws: typeof AwsModule;
  /** SST's components: only `sst.aws.Function` here. */
  const sst: {
    readonly aws: {
      readonly Function: new (
        name: string,
        args: SstFunctionArgs,
        opts?: PulumiModule.ComponentResourceOptions,
      ) => SstFunction;
    };
  };
}
