/**
 * The AWS app: `sst deploy --stage <name>` deploys every pipeline in `pipelines/` serverless
 * into your own account (docs/aws.md). Resources are declared in `infra/` as a thin layer over
 * the pure, unit-tested `deploymentPlan` of `@pipewright/core`; the Lambda handlers live in
 * `packages/aws/src/lambda/`.
 *
 * SST and its AWS provider are pinned: `sst` and `@pulumi/aws` in the root package.json, and the
 * same versions below (docs/aws.md, "Versions and downloads").
 *
 * Types: SST's globals come from `infra/sst-offline.d.ts` for `npm run typecheck` (no network
 * needed), or from `.sst/platform/config.d.ts` after `sst install` with
 * `npx tsc -p infra/tsconfig.online.json`. There is deliberately no
 * `/// <reference path="./.sst/platform/config.d.ts" />` here: that file does not exist before
 * `sst install`, and a reference to a missing file fails the offline typecheck.
 */
export default $config({
  app(input) {
    const production = input?.stage === 'production';
    return {
      name: 'pipewright',
      home: 'aws',
      removal: production ? 'retain' : 'remove',
      protect: production,
      // Pinned to the root devDependencies (test/infra/sst-config.test.ts keeps them equal):
      // the SST CLI that `npx sst` runs, and the AWS provider that infra/ is typed against, so
      // a deploy never picks up whatever is newest that day.
      version: '4.17.1',
      providers: { aws: { version: '7.48.0' } },
    };
  },
  async run() {
    const { deploy } = await import('./infra/index.ts');
    return deploy();
  },
});
