import * as z from 'zod';
import { text } from './config-schema.ts';
import type { ProviderSpec } from './provider-spec.ts';

/** Manual approval waits 7 days unless `timeoutInMinutes` says otherwise. */
export const APPROVAL_DEFAULT_TIMEOUT_MINUTES = 7 * 24 * 60;

const shape = {
  NotificationArn: text()
    .regex(
      /^(arn:aws(-[\w]+)*:sns:.+|.*#\{.*\}.*)$/,
      'must be an SNS topic ARN (arn:aws:sns:<region>:<account>:<topic>)',
    )
    .optional(),
  CustomData: text().optional(),
  ExternalEntityLink: text().optional(),
};

/**
 * `Approval/Manual`: the stage waits until someone approves or rejects (or the timeout fails it).
 * `timeoutInMinutes` may be 5–86,400 (CodePipeline's API range); default 7 days.
 *
 * @example
 * ```ts
 * MANUAL_APPROVAL.defaultTimeoutMinutes; // 10080
 * ```
 */
export const MANUAL_APPROVAL: ProviderSpec = {
  category: 'Approval',
  provider: 'Manual',
  owners: ['AWS'],
  configuration: z.strictObject(shape),
  configurationKeys: Object.keys(shape),
  inputArtifacts: { min: 0, max: 0 },
  outputArtifacts: { min: 0, max: 0 },
  defaultTimeoutMinutes: APPROVAL_DEFAULT_TIMEOUT_MINUTES,
  maxTimeoutMinutes: 86_400,
  outputVariables: [],
  extraFields: [],
  runsLocally: true,
  description: 'Waits for a person to approve or reject (signed link; SNS email in AWS).',
};
