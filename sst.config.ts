/// <reference path="./.sst/platform/config.d.ts" />

/**
 * The AWS app: `sst deploy --stage <name>` deploys every pipeline in `pipelines/` serverless
 * into your own account. Resources are declared in `infra/` as a thin layer over pure,
 * unit-tested functions of `@pipewright/core`; the Lambda handlers live in `packages/aws`.
 *
 * The AWS resources (state machines, DynamoDB event log, EventBridge, SNS, S3 + KMS) arrive
 * with the AWS runtime; until then `run()` deploys nothing and returns no outputs.
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
