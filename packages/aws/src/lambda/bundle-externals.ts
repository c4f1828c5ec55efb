/**
 * Modules left out of every function bundle (infra passes them as SST's
 * `nodejs.esbuild.external`). They are the AWS SDK's credential sources other than the
 * environment: a Lambda function always finds its role's credentials in its environment
 * (`AWS_ACCESS_KEY_ID`, …), so the SDK never loads these — and they, with the STS/SSO clients
 * they pull in, would add about 100 KB to each bundle. Were one ever reached, the Node.js
 * runtime's own AWS SDK would not be found from an ES module either: the import fails loudly,
 * it does not silently use other credentials.
 *
 * @example
 * ```ts
 * new sst.aws.Function('StageGate', { handler, nodejs: { esbuild: { external: [...LAMBDA_EXTERNAL_MODULES] } } });
 * ```
 */
export const LAMBDA_EXTERNAL_MODULES = [
  '@aws-sdk/credential-provider-ini',
  '@aws-sdk/credential-provider-process',
  '@aws-sdk/credential-provider-sso',
  '@aws-sdk/credential-provider-web-identity',
  '@aws-sdk/credential-provider-login',
  '@aws-sdk/token-providers',
  '@aws-sdk/nested-clients',
  '@smithy/credential-provider-imds',
] as const;
