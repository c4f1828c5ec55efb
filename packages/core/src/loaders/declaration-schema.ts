import * as z from 'zod';
import {
  ACTION_CATEGORIES,
  ACTION_OWNERS,
  EXECUTION_MODES,
  PIPELINE_TYPES,
  PULL_REQUEST_EVENTS,
} from '../model/pipeline.ts';

/** Key casing of a declaration: `camel` as `aws codepipeline get-pipeline` prints it, `pascal` as CloudFormation. */
export type Casing = 'camel' | 'pascal';

/** A declaration key in the given casing (`roleArn` → `RoleArn`). */
export function cased(key: string, casing: Casing): string {
  return casing === 'camel' ? key : key.charAt(0).toUpperCase() + key.slice(1);
}

function strict<T extends Record<string, z.ZodType>>(casing: Casing, shape: T): z.ZodType {
  const out: Record<string, z.ZodType> = {};
  for (const [key, value] of Object.entries(shape)) out[cased(key, casing)] = value;
  return z.strictObject(out);
}

const scalar = z.union([z.string(), z.number(), z.boolean()]);

/** Schemas of CodePipeline's pipeline declaration in either casing (shape only; rules live in validation). */
export interface DeclarationSchemas {
  pipeline: z.ZodType;
  /** get-pipeline output: `{ pipeline, metadata }`. */
  getPipelineOutput: z.ZodType;
}

/** Builds a strict object schema with its keys in the declaration's casing. */
type ShapeOf = (shape: Record<string, z.ZodType>) => z.ZodType;

const configuration = z.record(z.string(), scalar);

function artifactStoreSchemas(s: ShapeOf, casing: Casing) {
  const encryptionKey = s({ id: z.string(), type: z.literal('KMS') });
  const artifactStore = s({
    type: z.literal('S3'),
    location: z.string(),
    encryptionKey: encryptionKey.optional(),
  });
  const artifactStores =
    casing === 'camel'
      ? z.record(z.string(), artifactStore)
      : z.array(s({ region: z.string(), artifactStore }));
  return { artifactStore, artifactStores };
}

function conditionSchemas(s: ShapeOf) {
  const rule = s({
    name: z.string(),
    ruleTypeId: s({
      category: z.literal('Rule'),
      owner: z.literal('AWS').optional(),
      provider: z.string(),
      version: z.union([z.string(), z.number()]).optional(),
    }),
    configuration: configuration.optional(),
    commands: z.array(z.string()).optional(),
    inputArtifacts: z.array(s({ name: z.string() })).optional(),
    region: z.string().optional(),
    roleArn: z.string().optional(),
    timeoutInMinutes: z.number().optional(),
  });
  const condition = s({
    result: z.enum(['FAIL', 'SKIP', 'ROLLBACK', 'RETRY']).optional(),
    rules: z.array(rule),
  });
  const stageConditions = s({ conditions: z.array(condition) });
  const failureConditions = s({
    result: z.enum(['ROLLBACK', 'RETRY']).optional(),
    retryConfiguration: s({ retryMode: z.enum(['FAILED_ACTIONS', 'ALL_ACTIONS']) }).optional(),
    conditions: z.array(condition).optional(),
  });
  return { stageConditions, failureConditions };
}

function actionSchema(s: ShapeOf): z.ZodType {
  const environmentVariable = s({
    name: z.string(),
    value: scalar,
    type: z.enum(['PLAINTEXT', 'SECRETS_MANAGER']).optional(),
  });
  return s({
    name: z.string(),
    actionTypeId: s({
      category: z.enum(ACTION_CATEGORIES),
      owner: z.enum(ACTION_OWNERS),
      provider: z.string(),
      version: z.union([z.string(), z.number()]),
    }),
    runOrder: z.number().optional(),
    configuration: configuration.optional(),
    inputArtifacts: z.array(s({ name: z.string() })).optional(),
    outputArtifacts: z.array(s({ name: z.string(), files: z.array(z.string()).optional() })).optional(),
    namespace: z.string().optional(),
    region: z.string().optional(),
    roleArn: z.string().optional(),
    timeoutInMinutes: z.number().optional(),
    commands: z.array(z.string()).optional(),
    outputVariables: z.array(z.string()).optional(),
    environmentVariables: z.array(environmentVariable).optional(),
  });
}

function stageSchema(s: ShapeOf): z.ZodType {
  const { stageConditions, failureConditions } = conditionSchemas(s);
  return s({
    name: z.string(),
    actions: z.array(actionSchema(s)),
    beforeEntry: stageConditions.optional(),
    onSuccess: stageConditions.optional(),
    onFailure: failureConditions.optional(),
    blockers: z.array(z.unknown()).optional(),
  });
}

function triggerSchema(s: ShapeOf): z.ZodType {
  const globFilter = s({
    includes: z.array(z.string()).optional(),
    excludes: z.array(z.string()).optional(),
  });
  const push = s({
    branches: globFilter.optional(),
    tags: globFilter.optional(),
    filePaths: globFilter.optional(),
  });
  const pullRequest = s({
    events: z.array(z.enum(PULL_REQUEST_EVENTS)).optional(),
    branches: globFilter.optional(),
    filePaths: globFilter.optional(),
  });
  return s({
    providerType: z.literal('CodeStarSourceConnection'),
    gitConfiguration: s({
      sourceActionName: z.string(),
      push: z.array(push).optional(),
      pullRequest: z.array(pullRequest).optional(),
    }),
  });
}

function build(casing: Casing): DeclarationSchemas {
  const s: ShapeOf = (shape) => strict(casing, shape);
  const { artifactStore, artifactStores } = artifactStoreSchemas(s, casing);
  const variable = s({
    name: z.string(),
    defaultValue: scalar.optional(),
    description: z.string().optional(),
  });
  const common = {
    roleArn: z.string().optional(),
    artifactStore: artifactStore.optional(),
    artifactStores: artifactStores.optional(),
    stages: z.array(stageSchema(s)),
    executionMode: z.enum(EXECUTION_MODES).optional(),
    pipelineType: z.enum(PIPELINE_TYPES).optional(),
    variables: z.array(variable).optional(),
    triggers: z.array(triggerSchema(s)).optional(),
  };
  const pipeline =
    casing === 'camel'
      ? s({ name: z.string(), version: z.number().optional(), ...common })
      : s({
          name: z.string().optional(),
          ...common,
          disableInboundStageTransitions: z.array(z.unknown()).optional(),
          restartExecutionOnUpdate: z.union([z.boolean(), z.string()]).optional(),
          tags: z.array(z.unknown()).optional(),
        });
  const getPipelineOutput = z.strictObject({ pipeline, metadata: z.unknown().optional() });
  return { pipeline, getPipelineOutput };
}

/** CodePipeline declaration schemas (camelCase), as `aws codepipeline get-pipeline` prints it. */
export const CODEPIPELINE_SCHEMAS: DeclarationSchemas = build('camel');

/** `AWS::CodePipeline::Pipeline` `Properties` schemas (PascalCase). */
export const CLOUDFORMATION_SCHEMAS: DeclarationSchemas = build('pascal');
