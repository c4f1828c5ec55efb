import * as z from 'zod';
import { hasVariable, text } from './config-schema.ts';
import type { ProviderSpec } from './provider-spec.ts';

/** The image definitions file the ECS action reads when `FileName` is not set. */
export const DEFAULT_IMAGE_DEFINITIONS_FILE = 'imagedefinitions.json';
/** CodePipeline's ECS deploy timeout, and the most `DeploymentTimeout` may ask (minutes). */
export const ECS_MAX_DEPLOYMENT_TIMEOUT_MINUTES = 60;

const shape = {
  ClusterName: text(),
  ServiceName: text(),
  FileName: text().optional(),
  DeploymentTimeout: z
    .string()
    .refine(
      (v) =>
        hasVariable(v) ||
        (/^\d+$/.test(v) && Number(v) >= 1 && Number(v) <= ECS_MAX_DEPLOYMENT_TIMEOUT_MINUTES),
      { message: `must be a whole number of minutes from 1 to ${ECS_MAX_DEPLOYMENT_TIMEOUT_MINUTES}` },
    )
    .optional(),
};

/**
 * `Deploy/ECS` (standard deployment): reads the image definitions file (`FileName`, default
 * `imagedefinitions.json`) of its input artifact, registers a new revision of the service's
 * task definition with those images and updates the service, then waits for the deployment
 * to complete or roll back within `DeploymentTimeout` minutes (at most 60). AWS only.
 *
 * @example
 * ```ts
 * ECS_DEPLOY.configuration.safeParse({ ClusterName: 'prod', ServiceName: 'web', DeploymentTimeout: '30' }).success; // true
 * ```
 */
export const ECS_DEPLOY: ProviderSpec = {
  category: 'Deploy',
  provider: 'ECS',
  owners: ['AWS'],
  configuration: z.strictObject(shape),
  configurationKeys: Object.keys(shape),
  inputArtifacts: { min: 1, max: 1 },
  outputArtifacts: { min: 0, max: 0 },
  defaultTimeoutMinutes: ECS_MAX_DEPLOYMENT_TIMEOUT_MINUTES,
  outputVariables: [],
  extraFields: [],
  runsLocally: false,
  waitsByPolling: true,
  description: 'Deploys new images to an Amazon ECS service (AWS only).',
};
