/**
 * What the actions and rules of the pipelines touch in AWS, read from their configuration:
 * the CodeBuild projects they start, the functions they invoke, the stacks, buckets, roles,
 * repositories and secrets they name. The function and project policies are built from these
 * sets, so a role may reach exactly what the pipelines name.
 *
 * A configuration value with `#{…}` variables grants the pattern with each variable replaced
 * by `*` (IAM's wildcard); a value that is only a variable grants what the action's
 * `resourcePatterns` states for that field, or nothing and is a {@link WildcardGrant}; an unresolved CloudFormation intrinsic (`!Ref …`) grants nothing and
 * is reported; values that only make sense locally (a repository path, a directory as bucket)
 * grant nothing and are reported.
 */
import { ruleAsAction } from '../decisions/evaluate-condition.ts';
import type { Action, Pipeline } from '../model/pipeline.ts';
import { addDeployTarget, type DeployTargetGrant } from './deploy-target-grants.ts';
import { arnOf, type DeploymentSite } from './deployment-names.ts';
import { addEcrSource } from './ecr-source-grants.ts';
import { addDeployS3, addS3Source } from './s3-grants.ts';
import { type WildcardGrant, wildcardGrant } from './wildcard-grants.ts';

/** Everything the actions (or rules) of some pipelines name, as ARNs. @example `[...providerGrants([p], names, 'actions').functions] // ['arn:aws:lambda:…:function:notify']` */
export interface ProviderGrants {
  /** Some action runs in the shared runner project (Commands, git sources, CodeBuild). */
  usesRunner: boolean;
  /** Projects of CodeBuild actions and rules. */
  codeBuildProjects: Set<string>;
  /** Log groups of those projects (read for action logs). */
  codeBuildLogGroups: Set<string>;
  /** Functions of Invoke/Lambda actions and LambdaInvoke rules. */
  functions: Set<string>;
  /** Stacks of CloudFormation actions (`stack/<name>/*`). */
  stacks: Set<string>;
  /** `RoleArn`s of CloudFormation actions (passed to CloudFormation). */
  cloudFormationRoles: Set<string>;
  /** `roleArn`s of actions (assumed by the runner). */
  actionRoles: Set<string>;
  /** Objects Deploy/S3 actions write. */
  deployObjects: Set<string>;
  /** Objects written with a canned ACL. */
  deployAclObjects: Set<string>;
  /** KMS keys Deploy/S3 actions encrypt with. */
  deployKeys: Set<string>;
  /** Objects S3 sources read. */
  sourceObjects: Set<string>;
  /** Repositories ECR sources describe. */
  ecrRepositories: Set<string>;
  /** Topics of Manual approvals' `NotificationArn`. */
  approvalTopics: Set<string>;
  /** Alarms of CloudWatchAlarm rules. */
  alarms: Set<string>;
  /** CodeCommit repositories the runner pulls. */
  codeCommitRepositories: Set<string>;
  /** CodeStar connections the runner uses. */
  connections: Set<string>;
  /** Secrets Manager secrets builds resolve (Commands and CodeBuild variables, GitHub tokens): the runner project reads them. */
  secrets: Set<string>;
  /** Parameter Store parameters builds resolve (`PARAMETER_STORE` variables, `{{resolve:ssm:…}}` tokens). */
  parameters: Set<string>;
  /** What AWS deploy targets actions name (ECS, CodeDeploy, Elastic Beanstalk, Step Functions), by statement id. */
  deployTargets: Map<string, DeployTargetGrant>;
  /** What could not be granted, or was granted broadly, and why. */
  warnings: string[];
  /** Fields given only as a variable without a `resourcePatterns` entry: nothing is granted, and deploying fails. */
  wildcards: WildcardGrant[];
}

const RUNNER_SOURCES = ['Git', 'GitHub', 'CodeStarSourceConnection', 'CodeCommit'];
const VARIABLE = /#\{[^}]*\}/g;
const LAMBDA_NAME = /^[A-Za-z0-9_-]{1,140}(:[A-Za-z0-9$_-]+)?$/;
const LAMBDA_PARTIAL_ARN = /^(\d{12}):function:([A-Za-z0-9_-]+(?::[A-Za-z0-9$_-]+)?)$/;

function emptyGrants(): ProviderGrants {
  return {
    usesRunner: false,
    codeBuildProjects: new Set(),
    codeBuildLogGroups: new Set(),
    functions: new Set(),
    stacks: new Set(),
    cloudFormationRoles: new Set(),
    actionRoles: new Set(),
    deployObjects: new Set(),
    deployAclObjects: new Set(),
    deployKeys: new Set(),
    sourceObjects: new Set(),
    ecrRepositories: new Set(),
    approvalTopics: new Set(),
    alarms: new Set(),
    codeCommitRepositories: new Set(),
    connections: new Set(),
    secrets: new Set(),
    parameters: new Set(),
    deployTargets: new Map(),
    warnings: [],
    wildcards: [],
  };
}

export interface Subject {
  pipeline: string;
  where: string;
  action: Action;
}

/** A configuration value as an IAM resource pattern, or `undefined` (with a warning) when it cannot be one. */
export function pattern(g: ProviderGrants, s: Subject, key: string, value?: string): string | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  if (
    value.startsWith('!') ||
    value.includes('${') ||
    value.startsWith('{"Fn::') ||
    value.startsWith('{"Ref"')
  ) {
    g.warnings.push(
      `${s.where}: ${key} "${value}" is an unresolved CloudFormation value; no permission is granted for it — write the literal value`,
    );
    return undefined;
  }
  if (!value.includes('#{')) return value;
  const wild = value.replace(VARIABLE, '*').replace(/\*+/g, '*');
  if (wild !== '*') return wild;
  const stated = s.action.resourcePatterns?.[key];
  if (stated !== undefined && stated.trim() !== '') return stated;
  g.wildcards.push(wildcardGrant(s.pipeline, s.where, key, value));
  return undefined;
}

export function regionOf(names: DeploymentSite, action: Action): string {
  return action.region !== undefined && action.region !== '' ? action.region : names.region;
}

function addCodeBuildProject(g: ProviderGrants, names: DeploymentSite, s: Subject): void {
  const project = pattern(g, s, 'ProjectName', s.action.configuration.ProjectName);
  if (project === undefined) return;
  const region = regionOf(names, s.action);
  g.codeBuildProjects.add(
    project.startsWith('arn:') ? project : arnOf(names, 'codebuild', `project/${project}`, { region }),
  );
  if (!project.startsWith('arn:')) {
    g.codeBuildLogGroups.add(arnOf(names, 'logs', `log-group:/aws/codebuild/${project}:*`, { region }));
  }
}

function addFunction(g: ProviderGrants, names: DeploymentSite, s: Subject): void {
  const name = pattern(g, s, 'FunctionName', s.action.configuration.FunctionName);
  if (name === undefined) return;
  if (name.startsWith('arn:')) {
    g.functions.add(name);
    return;
  }
  const region = regionOf(names, s.action);
  const partial = LAMBDA_PARTIAL_ARN.exec(name);
  if (partial) {
    g.functions.add(arnOf(names, 'lambda', `function:${partial[2]}`, { region, account: partial[1] }));
    return;
  }
  if (!LAMBDA_NAME.test(name.replace(/\*/g, 'x'))) {
    g.warnings.push(
      `${s.where}: FunctionName "${s.action.configuration.FunctionName}" is not a Lambda function name or ARN (a local module?); it runs only locally — in AWS name a function`,
    );
    return;
  }
  g.functions.add(arnOf(names, 'lambda', `function:${name}`, { region }));
}

function addCloudFormation(g: ProviderGrants, names: DeploymentSite, s: Subject): void {
  const stack = pattern(g, s, 'StackName', s.action.configuration.StackName);
  if (stack !== undefined) {
    g.stacks.add(arnOf(names, 'cloudformation', `stack/${stack}/*`, { region: regionOf(names, s.action) }));
  }
  const role = s.action.configuration.RoleArn;
  if (role === undefined || role === '') {
    g.warnings.push(
      `${s.where}: no RoleArn, so CloudFormation acts with the action runner's own role, which may not create the stack's resources; set RoleArn to a role CloudFormation can assume`,
    );
    return;
  }
  const rolePattern = pattern(g, s, 'RoleArn', role);
  if (rolePattern !== undefined) g.cloudFormationRoles.add(rolePattern);
}

function addGitSource(g: ProviderGrants, names: DeploymentSite, s: Subject): void {
  const config = s.action.configuration;
  const provider = s.action.actionTypeId.provider;
  if (provider === 'CodeCommit') {
    const repository = pattern(g, s, 'RepositoryName', config.RepositoryName);
    if (repository !== undefined)
      g.codeCommitRepositories.add(
        arnOf(names, 'codecommit', repository, { region: regionOf(names, s.action) }),
      );
  } else if (provider === 'CodeStarSourceConnection') {
    const connection = pattern(g, s, 'ConnectionArn', config.ConnectionArn);
    if (connection !== undefined) g.connections.add(connection);
  } else if (provider === 'Git') {
    const url = config.RepositoryUrl ?? '';
    const remote = /^[a-z][a-z0-9+.-]*:\/\//i.test(url)
      ? !/^file:/i.test(url)
      : /^[^/\\.][^:]*@[^:]+:/.test(url);
    if (!remote && !url.includes('#{')) {
      g.warnings.push(
        `${s.where}: RepositoryUrl "${url}" is a local path; in AWS the runner project clones over the network — use an https:// or ssh URL`,
      );
    }
  } else if (provider === 'GitHub') {
    // The token is a reference CodeBuild resolves: {{resolve:secretsmanager:…}} or {{resolve:ssm…:…}}.
    const match = /^\{\{resolve:(secretsmanager|ssm|ssm-secure):(.+)\}\}$/.exec(config.OAuthToken ?? '');
    const id = match?.[2] === undefined ? undefined : pattern(g, s, 'OAuthToken', match[2]);
    if (id !== undefined) {
      if (match?.[1] === 'secretsmanager') addSecret(g, names, id);
      else addParameter(g, names, id.split(':')[0] ?? id);
    }
  }
}

function addAction(g: ProviderGrants, names: DeploymentSite, s: Subject): void {
  const { category, provider } = s.action.actionTypeId;
  const role = s.action.roleArn;
  if (role !== undefined && role !== '') {
    const rolePattern = pattern(g, s, 'roleArn', role);
    if (rolePattern !== undefined) g.actionRoles.add(rolePattern);
  }
  // ECS, CodeDeployToECS, CodeDeploy, ElasticBeanstalk, StepFunctions: deploy-target-grants.ts
  if (addDeployTarget(g.deployTargets, names, { ...s, pattern: (key, value) => pattern(g, s, key, value) }))
    return;
  if (provider === 'Commands') {
    g.usesRunner = true;
    addBuildSecrets(g, names, s, s.action.environmentVariables ?? []);
  } else if (provider === 'CodeBuild' && (category === 'Build' || category === 'Test')) {
    g.usesRunner = true;
    addCodeBuildProject(g, names, s);
    addBuildSecrets(g, names, s, codeBuildVariables(s.action.configuration.EnvironmentVariables));
  } else if (category === 'Source' && RUNNER_SOURCES.includes(provider)) {
    g.usesRunner = true;
    addGitSource(g, names, s);
  } else if (category === 'Source' && provider === 'S3') {
    addS3Source(g, names, s);
  } else if (category === 'Source' && provider === 'ECR') {
    addEcrSource(g, names, s);
  } else if (category === 'Invoke' && provider === 'Lambda') {
    addFunction(g, names, s);
  } else if (category === 'Deploy' && provider === 'CloudFormation') {
    addCloudFormation(g, names, s);
  } else if (category === 'Deploy' && provider === 'S3') {
    addDeployS3(g, names, s);
  } else if (category === 'Approval' && provider === 'Manual') {
    const topic = pattern(g, s, 'NotificationArn', s.action.configuration.NotificationArn);
    if (topic !== undefined) g.approvalTopics.add(topic);
  }
}

/** The secrets and parameters a build resolves from its variables (CodeBuild reads them with the runner's role). */
function addBuildSecrets(
  g: ProviderGrants,
  names: DeploymentSite,
  s: Subject,
  variables: readonly { name: string; value: string; type?: string }[],
): void {
  for (const v of variables) {
    if (v.type !== 'SECRETS_MANAGER' && v.type !== 'PARAMETER_STORE') continue;
    const id = pattern(g, s, `environment variable ${v.name}`, v.value);
    if (id === undefined) continue;
    if (v.type === 'PARAMETER_STORE') addParameter(g, names, id);
    else addSecret(g, names, id);
  }
}

/** `secret-id[:json-key[:version-stage[:version-id]]]`; a secret's ARN ends in `-` and 6 random characters. */
function addSecret(g: ProviderGrants, names: DeploymentSite, id: string): void {
  const arn = id.startsWith('arn:') ? id.split(':').slice(0, 7).join(':') : undefined;
  const name = arn === undefined ? (id.split(':')[0] ?? id) : undefined;
  g.secrets.add(arn !== undefined ? `${arn}*` : arnOf(names, 'secretsmanager', `secret:${name}-??????`));
}

function addParameter(g: ProviderGrants, names: DeploymentSite, id: string): void {
  if (id.startsWith('arn:')) g.parameters.add(id);
  else g.parameters.add(arnOf(names, 'ssm', `parameter/${id.replace(/^\//, '')}`));
}

/** A CodeBuild action's `EnvironmentVariables` configuration (a JSON array); none when unreadable. */
function codeBuildVariables(text: string | undefined): { name: string; value: string; type?: string }[] {
  if (text === undefined) return [];
  try {
    const parsed = JSON.parse(text) as unknown;
    return Array.isArray(parsed)
      ? parsed.filter(
          (v): v is { name: string; value: string; type?: string } =>
            typeof v?.name === 'string' && typeof v?.value === 'string',
        )
      : [];
  } catch {
    return [];
  }
}

function addRule(
  g: ProviderGrants,
  names: DeploymentSite,
  pipeline: string,
  where: string,
  rule: Parameters<typeof ruleAsAction>[0],
): void {
  const asAction = ruleAsAction(rule);
  if (asAction !== undefined) {
    // The stage gate runs no providers in AWS yet (rules that run commands or invoke a function).
    g.warnings.push(
      `${pipeline}: ${where} rule ${rule.name} (${rule.ruleTypeId.provider}) runs only with pipewright run/serve for now; in AWS the condition fails with a message saying so — use VariableCheck or DeploymentWindow rules there`,
    );
    addAction(g, names, { pipeline, where, action: asAction });
    return;
  }
  const provider = rule.ruleTypeId.provider;
  const action: Action = {
    name: rule.name,
    actionTypeId: { category: 'Build', owner: 'AWS', provider, version: '1' },
    runOrder: 1,
    configuration: rule.configuration,
    inputArtifacts: rule.inputArtifacts,
    outputArtifacts: [],
    ...(rule.region === undefined ? {} : { region: rule.region }),
  };
  const s = { pipeline, where, action };
  if (provider === 'CodeBuild') {
    g.usesRunner = true;
    addCodeBuildProject(g, names, s);
  } else if (provider === 'CloudWatchAlarm') {
    const alarm = pattern(g, s, 'AlarmName', rule.configuration.AlarmName);
    if (alarm !== undefined)
      g.alarms.add(arnOf(names, 'cloudwatch', `alarm:${alarm}`, { region: regionOf(names, action) }));
  }
}

/**
 * What the actions (`of: 'actions'`) or the stage-condition rules (`of: 'rules'`) of the
 * pipelines name.
 *
 * @example
 * ```ts
 * const g = providerGrants([pipeline], names, 'actions');
 * [...g.codeBuildProjects]; // ['arn:aws:codebuild:eu-west-1:123456789012:project/MyBuildProject']
 * g.usesRunner; // true
 * ```
 */
export function providerGrants(
  pipelines: readonly Pipeline[],
  names: DeploymentSite,
  of: 'actions' | 'rules' | 'both',
): ProviderGrants {
  const g = emptyGrants();
  for (const pipeline of pipelines) {
    for (const stage of pipeline.stages) {
      if (of !== 'rules') {
        for (const action of stage.actions) {
          addAction(g, names, {
            pipeline: pipeline.name,
            where: `${pipeline.name}: stage "${stage.name}" action "${action.name}"`,
            action,
          });
        }
      }
      if (of === 'actions') continue;
      const conditions = [
        ['beforeEntry', stage.beforeEntry?.conditions],
        ['onSuccess', stage.onSuccess?.conditions],
        ['onFailure', stage.onFailure?.conditions],
      ] as const;
      for (const [kind, list] of conditions) {
        for (const condition of list ?? []) {
          for (const rule of condition.rules) {
            addRule(
              g,
              names,
              pipeline.name,
              `${pipeline.name}: stage "${stage.name}" ${kind} rule "${rule.name}"`,
              rule,
            );
          }
        }
      }
    }
  }
  return g;
}
