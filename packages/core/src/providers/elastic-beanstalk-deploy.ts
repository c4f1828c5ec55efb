import * as z from 'zod';
import { text } from './config-schema.ts';
import type { ProviderSpec } from './provider-spec.ts';

const shape = { ApplicationName: text(), EnvironmentName: text() };

/**
 * `Deploy/ElasticBeanstalk`: the input artifact becomes an application version, the
 * environment is updated to it, and the action waits until the environment is `Ready` with a
 * health other than `Red` (failure reasons from the environment's events). AWS only.
 *
 * @example
 * ```ts
 * ELASTIC_BEANSTALK_DEPLOY.configuration.safeParse({ ApplicationName: 'web', EnvironmentName: 'web-prod' }).success; // true
 * ```
 */
export const ELASTIC_BEANSTALK_DEPLOY: ProviderSpec = {
  category: 'Deploy',
  provider: 'ElasticBeanstalk',
  owners: ['AWS'],
  configuration: z.strictObject(shape),
  configurationKeys: Object.keys(shape),
  inputArtifacts: { min: 1, max: 1 },
  outputArtifacts: { min: 0, max: 0 },
  defaultTimeoutMinutes: 60,
  outputVariables: [],
  extraFields: [],
  runsLocally: false,
  waitsByPolling: true,
  description: 'Deploys the input artifact to an Elastic Beanstalk environment (AWS only).',
};
