/**
 * The normalized pipeline model. Every loader (CodePipeline declaration, CloudFormation
 * `AWS::CodePipeline::Pipeline` properties, native YAML) produces this shape; validation,
 * the compiler, triggers and the engine consume only this shape.
 *
 * Field names follow CodePipeline's `PipelineDeclaration` (camelCase, as
 * `aws codepipeline get-pipeline` prints it) so users recognise them.
 *
 * @example
 * ```ts
 * const action: Action = {
 *   name: 'Build',
 *   actionTypeId: { category: 'Build', owner: 'AWS', provider: 'Commands', version: '1' },
 *   runOrder: 1,
 *   configuration: {},
 *   commands: ['npm ci', 'npm test'],
 *   inputArtifacts: [{ name: 'SourceOutput' }],
 *   outputArtifacts: [],
 * };
 * ```
 */

/** CodePipeline's execution modes. SUPERSEDED is the default. */
export const EXECUTION_MODES = ['SUPERSEDED', 'QUEUED', 'PARALLEL'] as const;
export type ExecutionMode = (typeof EXECUTION_MODES)[number];

export const PIPELINE_TYPES = ['V1', 'V2'] as const;
export type PipelineType = (typeof PIPELINE_TYPES)[number];

export const ACTION_CATEGORIES = [
  'Source',
  'Build',
  'Test',
  'Deploy',
  'Approval',
  'Invoke',
  'Compute',
] as const;
export type ActionCategory = (typeof ACTION_CATEGORIES)[number];

export const ACTION_OWNERS = ['AWS', 'ThirdParty', 'Custom'] as const;
export type ActionOwner = (typeof ACTION_OWNERS)[number];

/** `actionTypeId` of an action: which provider carries it out. */
export interface ActionTypeId {
  category: ActionCategory;
  owner: ActionOwner;
  provider: string;
  version: string;
}

/** An artifact an action consumes or produces. `files` is a Pipewright extension (globs). */
export interface ArtifactRef {
  name: string;
  /** Globs selecting the files of an output artifact (Commands/CodeBuild); default: everything. */
  files?: string[];
}

export interface EnvironmentVariable {
  name: string;
  value: string;
  type: 'PLAINTEXT' | 'SECRETS_MANAGER';
}

export interface Action {
  name: string;
  actionTypeId: ActionTypeId;
  /** 1–999; actions sharing a runOrder run in parallel. Default 1. */
  runOrder: number;
  /** CodePipeline configuration: string keys to string values (may contain `#{…}` variables). */
  configuration: Record<string, string>;
  inputArtifacts: ArtifactRef[];
  outputArtifacts: ArtifactRef[];
  namespace?: string;
  region?: string;
  roleArn?: string;
  timeoutInMinutes?: number;
  /** Commands action: shell commands run in order. */
  commands?: string[];
  /** Commands action: environment variables exported as the action's output variables. */
  outputVariables?: string[];
  environmentVariables?: EnvironmentVariable[];
  /**
   * Deploy only: the IAM resource pattern to grant for a configuration field (or `roleArn`)
   * whose value is only a variable, by field name, e.g. `{ roleArn: 'arn:aws:iam::111122223333:role/deploy-*' }`.
   * Without it such a field fails `pipewright plan` and `sst deploy` rather than granting `*`.
   */
  resourcePatterns?: Record<string, string>;
}

/** Results a condition may have, per CodePipeline (BeforeEntry: FAIL|SKIP, OnSuccess: ROLLBACK|FAIL, OnFailure: ROLLBACK|RETRY). */
export type ConditionResult = 'FAIL' | 'SKIP' | 'ROLLBACK' | 'RETRY';

export interface Rule {
  name: string;
  ruleTypeId: { category: 'Rule'; owner: 'AWS'; provider: string; version: string };
  configuration: Record<string, string>;
  commands?: string[];
  inputArtifacts: ArtifactRef[];
  region?: string;
  roleArn?: string;
  timeoutInMinutes?: number;
}

export interface Condition {
  result?: ConditionResult;
  rules: Rule[];
}

export interface StageConditions {
  conditions: Condition[];
}

export interface FailureConditions {
  result?: 'ROLLBACK' | 'RETRY';
  retryConfiguration?: { retryMode: 'FAILED_ACTIONS' | 'ALL_ACTIONS' };
  conditions?: Condition[];
}

export interface Stage {
  name: string;
  actions: Action[];
  beforeEntry?: StageConditions;
  onSuccess?: StageConditions;
  onFailure?: FailureConditions;
}

/** `{ includes, excludes }` glob lists of a git trigger filter (1–8 globs each). */
export interface GlobFilter {
  includes?: string[];
  excludes?: string[];
}

export interface GitPushFilter {
  branches?: GlobFilter;
  tags?: GlobFilter;
  filePaths?: GlobFilter;
}

export const PULL_REQUEST_EVENTS = ['OPEN', 'UPDATED', 'CLOSED'] as const;
export type PullRequestEvent = (typeof PULL_REQUEST_EVENTS)[number];

export interface GitPullRequestFilter {
  events?: PullRequestEvent[];
  branches?: GlobFilter;
  filePaths?: GlobFilter;
}

/** A CodePipeline V2 git trigger, plus Pipewright's schedule and event-pattern triggers. */
export type Trigger =
  | {
      providerType: 'CodeStarSourceConnection';
      gitConfiguration: {
        sourceActionName: string;
        push?: GitPushFilter[];
        pullRequest?: GitPullRequestFilter[];
      };
    }
  | {
      /** Pipewright: a schedule, as EventBridge writes it: `cron(…)` or `rate(…)`. */
      providerType: 'Schedule';
      schedule: { expression: string; timezone?: string; variables?: Record<string, string> };
    }
  | {
      /** Pipewright: any EventBridge-shaped event matching this pattern starts the pipeline. */
      providerType: 'EventPattern';
      eventPattern: { pattern: Record<string, unknown>; variables?: Record<string, string> };
    };

export interface PipelineVariable {
  name: string;
  defaultValue?: string;
  description?: string;
}

export interface ArtifactStore {
  type: 'S3';
  location: string;
  encryptionKey?: { id: string; type: 'KMS' };
}

/** A notification target for state changes (Pipewright extension). */
export interface NotificationTarget {
  /** Email addresses, e.g. of approvers. */
  emails?: string[];
  /** Webhook URL receiving Slack-compatible JSON. */
  webhookUrl?: string;
  /**
   * Which events: `execution.failed`, `stage.resumed`, `action.started`, `approval.requested`, or a
   * wildcard (`*`, `execution.*`, …); see `NOTIFICATION_EVENTS`. Default: `execution.*`, `approval.requested`.
   */
  events?: string[];
}

export interface Pipeline {
  name: string;
  roleArn?: string;
  artifactStore?: ArtifactStore;
  artifactStores?: Record<string, ArtifactStore>;
  /** Structure version (CodePipeline: 1 on create, +1 per update). */
  version?: number;
  executionMode: ExecutionMode;
  pipelineType: PipelineType;
  variables: PipelineVariable[];
  triggers: Trigger[];
  stages: Stage[];
  notifications?: NotificationTarget[];
}
