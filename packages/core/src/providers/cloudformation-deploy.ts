import * as z from 'zod';
import { jsonText, oneOf, text } from './config-schema.ts';
import type { ProviderSpec } from './provider-spec.ts';

/** CloudFormation deploy action modes. */
export const CLOUDFORMATION_ACTION_MODES = [
  'CHANGE_SET_EXECUTE',
  'CHANGE_SET_REPLACE',
  'CREATE_UPDATE',
  'DELETE_ONLY',
  'REPLACE_ON_FAILURE',
] as const;

const CAPABILITIES = ['CAPABILITY_IAM', 'CAPABILITY_NAMED_IAM', 'CAPABILITY_AUTO_EXPAND'];

const shape = {
  ActionMode: oneOf(CLOUDFORMATION_ACTION_MODES),
  StackName: text(),
  TemplatePath: text().optional(),
  Capabilities: text()
    .refine((v) => v.includes('#{') || v.split(',').every((c) => CAPABILITIES.includes(c.trim())), {
      message: `must be a comma-separated list of ${CAPABILITIES.join(', ')}`,
    })
    .optional(),
  ParameterOverrides: jsonText('an object of parameter names to values', (v) =>
    typeof v === 'object' && v !== null && !Array.isArray(v)
      ? undefined
      : 'must be a JSON object of parameter names to values',
  ).optional(),
  RoleArn: text().optional(),
  ChangeSetName: text().optional(),
  OutputFileName: text().optional(),
  TemplateConfiguration: text().optional(),
};

const NEEDS_TEMPLATE = ['CHANGE_SET_REPLACE', 'CREATE_UPDATE', 'REPLACE_ON_FAILURE'];
const NEEDS_CHANGE_SET = ['CHANGE_SET_REPLACE', 'CHANGE_SET_EXECUTE'];

/**
 * `Deploy/CloudFormation`: creates, updates or deletes a stack or change set. Needs AWS:
 * `runsLocally` is false, and the local runtime fails it with a clear message.
 * `TemplatePath` is required for CHANGE_SET_REPLACE, CREATE_UPDATE and REPLACE_ON_FAILURE;
 * `ChangeSetName` for the CHANGE_SET_* modes. `RoleArn` is optional: Pipewright's pipeline
 * role is used when it is missing. Exports the stack outputs as variables.
 *
 * @example
 * ```ts
 * CLOUDFORMATION_DEPLOY.runsLocally; // false
 * ```
 */
export const CLOUDFORMATION_DEPLOY: ProviderSpec = {
  category: 'Deploy',
  provider: 'CloudFormation',
  owners: ['AWS'],
  configuration: z.strictObject(shape).superRefine((config, ctx) => {
    const mode = config.ActionMode;
    if (NEEDS_TEMPLATE.includes(mode) && config.TemplatePath === undefined)
      ctx.addIssue({
        code: 'custom',
        path: ['TemplatePath'],
        message: `is required when ActionMode is ${mode}; name the template as "ArtifactName::path/template.yaml"`,
      });
    if (NEEDS_CHANGE_SET.includes(mode) && config.ChangeSetName === undefined)
      ctx.addIssue({
        code: 'custom',
        path: ['ChangeSetName'],
        message: `is required when ActionMode is ${mode}; name the change set`,
      });
  }),
  configurationKeys: Object.keys(shape),
  inputArtifacts: { min: 0, max: 10 },
  outputArtifacts: { min: 0, max: 1 },
  defaultTimeoutMinutes: 3 * 24 * 60,
  outputVariables: 'any',
  extraFields: [],
  runsLocally: false,
  waitsByPolling: true,
  description: 'Deploys a CloudFormation stack or change set (AWS only).',
};
