/**
 * The AWS app: `sst deploy --stage <name>` deploys every pipeline in `pipelines/` serverless
 * into your own account (docs/aws.md). Resources are declared in `infra/` as a thin layer over
 * the pure, unit-tested `deploymentPlan` of `@pipewright/core`; the Lambda handlers live in
 * `packages/aws/src/lambda/`.
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
    };
  },
  async run() {
    const { deploy } = await import('./infra/index.ts');
    return deploy();
  },
});
