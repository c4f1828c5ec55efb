import * as z from 'zod';
import { CODEDEPLOY_TIMEOUT_MINUTES } from './codedeploy-deploy.ts';
import { text } from './config-schema.ts';
import type { ProviderSpec } from './provider-spec.ts';

/** How many `Image<N>ArtifactName` / `Image<N>ContainerName` pairs the action takes. */
export const MAX_ECS_IMAGES = 4;

const images = Object.fromEntries(
  Array.from({ length: MAX_ECS_IMAGES }, (_, i) => [
    [`Image${i + 1}ArtifactName`, text().optional()],
    [`Image${i + 1}ContainerName`, text().optional()],
  ]).flat(),
) as Record<string, z.ZodOptional<z.ZodString>>;

const shape = {
  ApplicationName: text(),
  DeploymentGroupName: text(),
  TaskDefinitionTemplateArtifact: text(),
  TaskDefinitionTemplatePath: text().optional(),
  AppSpecTemplateArtifact: text(),
  AppSpecTemplatePath: text().optional(),
  ...images,
};

/**
 * `Deploy/CodeDeployToECS` (blue/green): fills the task definition template
 * (`TaskDefinitionTemplatePath`, default `taskdef.json`) with the images of up to four
 * `imageDetail.json` artifacts (`<IMAGE1_NAME>` placeholders named by `Image<N>ContainerName`),
 * registers it, fills `<TASK_DEFINITION>` in the AppSpec template (`AppSpecTemplatePath`,
 * default `appspec.yaml`) and deploys it with CodeDeploy, waiting up to 5 days. An
 * `Image<N>ArtifactName` needs its `Image<N>ContainerName`. AWS only.
 *
 * @example
 * ```ts
 * CODEDEPLOY_TO_ECS_DEPLOY.configurationKeys.includes('Image4ContainerName'); // true
 * ```
 */
export const CODEDEPLOY_TO_ECS_DEPLOY: ProviderSpec = {
  category: 'Deploy',
  provider: 'CodeDeployToECS',
  owners: ['AWS'],
  configuration: z.strictObject(shape).superRefine((config, ctx) => {
    for (let i = 1; i <= MAX_ECS_IMAGES; i++) {
      const record = config as Record<string, string | undefined>;
      if (record[`Image${i}ArtifactName`] !== undefined && record[`Image${i}ContainerName`] === undefined)
        ctx.addIssue({
          code: 'custom',
          path: [`Image${i}ContainerName`],
          message: `is required with Image${i}ArtifactName: the placeholder <IMAGE${i}_NAME> it fills is named after it`,
        });
    }
  }),
  configurationKeys: Object.keys(shape),
  inputArtifacts: { min: 1, max: 5 },
  outputArtifacts: { min: 0, max: 0 },
  defaultTimeoutMinutes: CODEDEPLOY_TIMEOUT_MINUTES,
  outputVariables: [],
  extraFields: [],
  runsLocally: false,
  waitsByPolling: true,
  description: 'Blue/green deploys to Amazon ECS through AWS CodeDeploy (AWS only).',
};
