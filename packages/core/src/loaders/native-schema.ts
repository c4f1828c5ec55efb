import * as z from 'zod';
import {
  ACTION_CATEGORIES,
  ACTION_OWNERS,
  EXECUTION_MODES,
  PIPELINE_TYPES,
  PULL_REQUEST_EVENTS,
} from '../model/pipeline.ts';
import { CODEPIPELINE_SCHEMAS } from './declaration-schema.ts';

/**
 * The native pipeline format: Pipewright's friendly YAML. This zod schema is the format's
 * single definition: the native loader checks documents against it and the committed JSON
 * Schema (`packages/core/schema/pipeline.schema.json`, for editor completion) is generated
 * from it.
 *
 * @example
 * ```ts
 * NATIVE_PIPELINE_SCHEMA.safeParse({ name: 'web', stages: [] }).success; // true
 * ```
 */

const scalar = z.union([z.string(), z.number(), z.boolean()]);
const strings = z.array(z.string());

/** `Category/Provider` with an optional `@version`, e.g. `Build/Commands` or `Deploy/CloudFormation@1`. */
export const ACTION_TYPE_PATTERN: RegExp = new RegExp(
  `^(${ACTION_CATEGORIES.join('|')})/([0-9A-Za-z_-]+)(@([^@\\s]+))?$`,
);

const globFilter = z
  .union([
    strings.describe('Shorthand for { includes: [...] }.'),
    z.strictObject({
      includes: strings.optional().describe('Globs that must match (1–8).'),
      excludes: strings.optional().describe('Globs that must not match (1–8).'),
    }),
  ])
  .describe('Glob filter: a list (includes) or { includes, excludes }.');

const gitTrigger = z
  .strictObject({
    source: z.string().describe('Name of the source action whose repository triggers the pipeline.'),
    push: z
      .array(
        z.strictObject({
          branches: globFilter.optional(),
          tags: globFilter.optional(),
          filePaths: globFilter.optional(),
        }),
      )
      .optional()
      .describe('Push filters (1–3).'),
    pullRequest: z
      .array(
        z.strictObject({
          events: z.array(z.enum(PULL_REQUEST_EVENTS)).optional(),
          branches: globFilter.optional(),
          filePaths: globFilter.optional(),
        }),
      )
      .optional()
      .describe('Pull-request filters (1–3).'),
  })
  .describe('Git trigger (CodePipeline V2 CodeStarSourceConnection trigger).');

const variablesMap = z.record(z.string(), scalar);

const scheduleTrigger = z
  .union([
    z.string().describe('cron(...) or rate(...) as EventBridge writes it.'),
    z.strictObject({
      expression: z.string().describe('cron(...) or rate(...) as EventBridge writes it.'),
      timezone: z.string().optional().describe('IANA time zone, e.g. Europe/Paris. Default UTC.'),
      variables: variablesMap.optional().describe('Pipeline variable values for scheduled runs.'),
    }),
  ])
  .describe('Schedule trigger.');

const eventTrigger = z
  .record(z.string(), z.unknown())
  .describe('EventBridge event pattern; or { pattern, variables } to also set pipeline variables.');

const trigger = z
  .strictObject({
    git: gitTrigger.optional(),
    schedule: scheduleTrigger.optional(),
    event: eventTrigger.optional(),
  })
  .describe('One trigger: exactly one of git, schedule, event.');

const notification = z.strictObject({
  emails: strings.optional().describe('Email addresses to notify.'),
  webhookUrl: z.string().optional().describe('Webhook receiving Slack-compatible JSON.'),
  events: strings
    .optional()
    .describe(
      'Events to notify: execution.<state>, stage.<state>, action.<state> (CodePipeline states in lower case, e.g. execution.failed), approval.requested, or a wildcard (*, execution.*, stage.*, action.*). Default: execution.*, approval.requested.',
    ),
});

const environment = z.union([
  z.record(z.string(), scalar).describe('NAME: value (PLAINTEXT).'),
  z.array(
    z.strictObject({
      name: z.string(),
      value: scalar,
      type: z.enum(['PLAINTEXT', 'SECRETS_MANAGER']).optional(),
    }),
  ),
]);

const action = z.strictObject({
  name: z.string().describe('Action name, unique in its stage.'),
  type: z
    .string()
    .regex(ACTION_TYPE_PATTERN)
    .describe(
      'Category/Provider[@version], e.g. Build/Commands, Source/CodeStarSourceConnection, Approval/Manual.',
    ),
  owner: z.enum(ACTION_OWNERS).optional().describe('Default AWS.'),
  configuration: z
    .record(z.string(), scalar)
    .optional()
    .describe('Provider configuration; numbers and booleans become strings. May use #{...} variables.'),
  inputs: strings.optional().describe('Input artifact names.'),
  outputs: z
    .array(
      z.union([
        z.string(),
        z.strictObject({
          name: z.string(),
          files: strings.optional().describe('Globs of the files to keep.'),
        }),
      ]),
    )
    .optional()
    .describe('Output artifacts: names, or { name, files }.'),
  namespace: z.string().optional().describe('Namespace of the output variables: #{Namespace.Name}.'),
  region: z.string().optional(),
  roleArn: z.string().optional(),
  runOrder: z.number().optional().describe('1–999; equal runOrder runs in parallel. Default 1.'),
  timeoutInMinutes: z.number().optional(),
  commands: strings.optional().describe('Shell commands (Build/Commands).'),
  env: environment.optional().describe('Environment variables: NAME: value, or [{ name, value, type }].'),
  outputVariables: strings.optional().describe('Environment variables exported as output variables.'),
  resourcePatterns: z
    .record(z.string(), z.string())
    .optional()
    .describe(
      'Deploy only: IAM resource patterns for configuration fields (or roleArn) given only as a #{...} variable, by field name.',
    ),
});

const declarationStage = (CODEPIPELINE_SCHEMAS.pipeline as z.ZodObject).shape
  .stages as z.ZodArray<z.ZodObject>;
const conditionsShape = declarationStage.element.shape;

const stage = z.strictObject({
  name: z.string().describe('Stage name, unique in the pipeline.'),
  actions: z.array(action),
  beforeEntry: (conditionsShape.beforeEntry as z.ZodType).describe('Entry conditions, as in CodePipeline.'),
  onSuccess: (conditionsShape.onSuccess as z.ZodType).describe('Success conditions, as in CodePipeline.'),
  onFailure: (conditionsShape.onFailure as z.ZodType).describe('Failure handling, as in CodePipeline.'),
});

/** The zod schema of a native pipeline document. */
export const NATIVE_PIPELINE_SCHEMA = z
  .strictObject({
    $schema: z.string().optional().describe('JSON Schema of this document (editor support).'),
    name: z.string().describe('Pipeline name: 1–100 characters of [A-Za-z0-9.@_-].'),
    executionMode: z.enum(EXECUTION_MODES).optional().describe('Default SUPERSEDED.'),
    pipelineType: z.enum(PIPELINE_TYPES).optional().describe('Default V2.'),
    variables: z
      .union([
        z.record(z.string(), scalar.nullable()).describe('NAME: default value (empty: no default).'),
        z.array(
          z.strictObject({
            name: z.string(),
            default: scalar.optional(),
            description: z.string().optional(),
          }),
        ),
      ])
      .optional()
      .describe('Pipeline variables, used as #{variables.NAME}.'),
    triggers: z.array(trigger).optional(),
    notifications: z.array(notification).optional(),
    stages: z.array(stage),
  })
  .describe('A Pipewright pipeline (native format). See docs/pipeline-format.md.');

/** Keys CodePipeline users write out of habit → the native key, for "did you mean …?". */
export const NATIVE_ALIASES: Readonly<Record<string, string>> = {
  actionTypeId: 'type',
  inputArtifacts: 'inputs',
  outputArtifacts: 'outputs',
  environmentVariables: 'env',
  defaultValue: 'default',
  sourceActionName: 'source',
  gitConfiguration: 'git',
};

/**
 * The JSON Schema of the native format, generated from {@link NATIVE_PIPELINE_SCHEMA}.
 *
 * @example
 * ```ts
 * JSON.stringify(nativePipelineJsonSchema(), null, 2); // contents of pipeline.schema.json
 * ```
 */
export function nativePipelineJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(NATIVE_PIPELINE_SCHEMA, { target: 'draft-2020-12' }) as Record<
    string,
    unknown
  >;
  return { $schema: schema.$schema, title: 'Pipewright pipeline', ...schema };
}
