import * as z from 'zod';
import { text } from './config-schema.ts';
import type { ProviderSpec } from './provider-spec.ts';

/** CodePipeline's CodeDeploy timeout: 5 days. */
export const CODEDEPLOY_TIMEOUT_MINUTES = 5 * 24 * 60;

const shape = { ApplicationName: text(), DeploymentGroupName: text() };

/**
 * `Deploy/CodeDeploy` (EC2/on-premises, Lambda): the input artifact is the revision bundle
 * (with its `appspec.yml`), uploaded to S3 and deployed to the group; the action waits up to
 * CodePipeline's 5 days for the deployment. AWS only.
 *
 * @example
 * ```ts
 * CODEDEPLOY_DEPLOY.configuration.safeParse({ ApplicationName: 'web', DeploymentGroupName: 'prod' }).success; // true
 * ```
 */
export const CODEDEPLOY_DEPLOY: ProviderSpec = {
  category: 'Deploy',
  provider: 'CodeDeploy',
  owners: ['AWS'],
  configuration: z.strictObject(shape),
  configurationKeys: Object.keys(shape),
  inputArtifacts: { min: 1, max: 1 },
  outputArtifacts: { min: 0, max: 0 },
  defaultTimeoutMinutes: CODEDEPLOY_TIMEOUT_MINUTES,
  outputVariables: [],
  extraFields: [],
  runsLocally: false,
  waitsByPolling: true,
  description: 'Deploys the input artifact with AWS CodeDeploy (AWS only).',
};
