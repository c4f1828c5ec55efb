/**
 * IAM grants of the AWS deploy providers that wait through the state machine — ECS,
 * CodeDeployToECS, CodeDeploy, Elastic Beanstalk and Step Functions — read from their
 * configuration (one function per provider). Each adds statements to the action runner's
 * policy, grouped by statement id, on exactly the resources the actions name.
 *
 * @example
 * ```ts
 * addDeployTarget(grants, names, { pipeline: 'web', where: 'web: stage "Deploy" action "Ship"', action });
 * grants.deployTargets.get('EcsServices')?.resources; // Set { 'arn:aws:ecs:eu-west-1:123456789012:service/prod/web' }
 * ```
 */
import type { Action } from '../model/pipeline.ts';
import type { DeploymentSite } from './deployment-names.ts';
import { arnOf } from './deployment-names.ts';

/** One statement of the action runner's policy, filled by the actions that need it. @example `{ actions: ['ecs:UpdateService'], resources: new Set(['arn:…:service/prod/web']) }` */
export interface DeployTargetGrant {
  actions: readonly string[];
  resources: Set<string>;
  condition?: Record<string, Record<string, string | string[]>>;
}

/** What the grant functions need of provider-grants.ts (passed in, so the two files do not import each other). */
export interface DeployTargetSubject {
  where: string;
  action: Action;
  /** The value as an IAM resource pattern (variables as `*`), or undefined with a warning. */
  pattern(key: string, value: string | undefined): string | undefined;
}

type Grants = Map<string, DeployTargetGrant>;

const ECS_REVISIONS = ['ecs:DescribeTaskDefinition', 'ecs:RegisterTaskDefinition'];
const CODEDEPLOY_ACTIONS = [
  'codedeploy:CreateDeployment',
  'codedeploy:GetDeployment',
  'codedeploy:StopDeployment',
];
const PASS_TO_ECS_TASKS = { StringEquals: { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' } };

function grant(
  g: Grants,
  sid: string,
  actions: readonly string[],
  resource: string,
  condition?: DeployTargetGrant['condition'],
): void {
  const entry = g.get(sid) ?? { actions, resources: new Set<string>(), ...(condition ? { condition } : {}) };
  entry.resources.add(resource);
  g.set(sid, entry);
}

function site(names: DeploymentSite, action: Action) {
  return { region: action.region !== undefined && action.region !== '' ? action.region : names.region };
}

/** Task definitions: DescribeTaskDefinition and RegisterTaskDefinition take no resource; the revision is tagged; its roles are passed to ECS tasks. */
function addTaskDefinitions(g: Grants, names: DeploymentSite, action: Action): void {
  grant(g, 'EcsTaskDefinitions', ECS_REVISIONS, '*');
  grant(
    g,
    'EcsTagRevisions',
    ['ecs:TagResource'],
    arnOf(names, 'ecs', 'task-definition/*', site(names, action)),
  );
  grant(
    g,
    'PassRolesToEcsTasks',
    ['iam:PassRole'],
    arnOf(names, 'iam', 'role/*', { region: '' }),
    PASS_TO_ECS_TASKS,
  );
}

function addEcs(g: Grants, names: DeploymentSite, s: DeployTargetSubject): void {
  const cluster = s.pattern('ClusterName', s.action.configuration.ClusterName);
  const service = s.pattern('ServiceName', s.action.configuration.ServiceName);
  if (cluster === undefined || service === undefined) return;
  grant(
    g,
    'EcsServices',
    ['ecs:DescribeServices', 'ecs:UpdateService'],
    arnOf(names, 'ecs', `service/${cluster}/${service}`, site(names, s.action)),
  );
  addTaskDefinitions(g, names, s.action);
}

function addCodeDeployGroup(g: Grants, names: DeploymentSite, s: DeployTargetSubject): void {
  const application = s.pattern('ApplicationName', s.action.configuration.ApplicationName);
  const group = s.pattern('DeploymentGroupName', s.action.configuration.DeploymentGroupName);
  if (application === undefined || group === undefined) return;
  const where = site(names, s.action);
  grant(
    g,
    'CodeDeployGroups',
    CODEDEPLOY_ACTIONS,
    arnOf(names, 'codedeploy', `deploymentgroup:${application}/${group}`, where),
  );
  grant(
    g,
    'CodeDeployApplications',
    ['codedeploy:RegisterApplicationRevision', 'codedeploy:GetApplicationRevision'],
    arnOf(names, 'codedeploy', `application:${application}`, where),
  );
  grant(
    g,
    'CodeDeployConfigs',
    ['codedeploy:GetDeploymentConfig'],
    arnOf(names, 'codedeploy', 'deploymentconfig:*', where),
  );
}

function addCodeDeployToEcs(g: Grants, names: DeploymentSite, s: DeployTargetSubject): void {
  addCodeDeployGroup(g, names, s);
  addTaskDefinitions(g, names, s.action);
}

function addElasticBeanstalk(g: Grants, names: DeploymentSite, s: DeployTargetSubject): void {
  const application = s.pattern('ApplicationName', s.action.configuration.ApplicationName);
  const environment = s.pattern('EnvironmentName', s.action.configuration.EnvironmentName);
  if (application === undefined || environment === undefined) return;
  const where = site(names, s.action);
  grant(
    g,
    'BeanstalkVersions',
    ['elasticbeanstalk:CreateApplicationVersion', 'elasticbeanstalk:DescribeApplicationVersions'],
    arnOf(names, 'elasticbeanstalk', `applicationversion/${application}/*`, where),
  );
  grant(
    g,
    'BeanstalkEnvironments',
    [
      'elasticbeanstalk:UpdateEnvironment',
      'elasticbeanstalk:DescribeEnvironments',
      'elasticbeanstalk:DescribeEvents',
      'elasticbeanstalk:AbortEnvironmentUpdate',
    ],
    arnOf(names, 'elasticbeanstalk', `environment/${application}/${environment}`, where),
  );
}

function addStepFunctions(g: Grants, _names: DeploymentSite, s: DeployTargetSubject): void {
  const machine = s.pattern('StateMachineArn', s.action.configuration.StateMachineArn);
  if (machine === undefined) return;
  grant(g, 'StartStateMachines', ['states:StartExecution'], machine);
  const executions = machine.includes(':stateMachine:')
    ? `${machine.replace(':stateMachine:', ':execution:')}:*`
    : '*';
  grant(g, 'StateMachineExecutions', ['states:DescribeExecution', 'states:StopExecution'], executions);
}

const BY_PROVIDER: Record<string, (g: Grants, names: DeploymentSite, s: DeployTargetSubject) => void> = {
  'Deploy/ECS': addEcs,
  'Deploy/CodeDeployToECS': addCodeDeployToEcs,
  'Deploy/CodeDeploy': addCodeDeployGroup,
  'Deploy/ElasticBeanstalk': addElasticBeanstalk,
  'Invoke/StepFunctions': addStepFunctions,
};

/**
 * Adds the grants of one action when it is one of these providers; false otherwise.
 *
 * @example
 * ```ts
 * addDeployTarget(grants, names, subject); // true for a Deploy/ECS action
 * ```
 */
export function addDeployTarget(g: Grants, names: DeploymentSite, s: DeployTargetSubject): boolean {
  const add = BY_PROVIDER[`${s.action.actionTypeId.category}/${s.action.actionTypeId.provider}`];
  if (add === undefined) return false;
  add(g, names, s);
  return true;
}

/** What stopping the work of each deploy target takes, by the statement id of its grant. */
const STOPS: Record<string, { sid: string; actions: string[] }> = {
  CodeDeployGroups: { sid: 'StopDeployments', actions: ['codedeploy:StopDeployment'] },
  StateMachineExecutions: { sid: 'StopStateMachineExecutions', actions: ['states:StopExecution'] },
  BeanstalkEnvironments: {
    sid: 'AbortEnvironmentUpdates',
    actions: ['elasticbeanstalk:AbortEnvironmentUpdate'],
  },
};

/**
 * The grants a function that stops executions needs to clean up what their actions started
 * (`ActionProvider.cancel`): stop deployments and executions, abort environment updates, and
 * cancel stack updates (`stacks`: the CloudFormation actions' stacks).
 *
 * @example
 * ```ts
 * stopGrants(grants.deployTargets, grants.stacks).map((s) => s.sid); // ['CancelStackUpdates', 'StopDeployments']
 * ```
 */
export function stopGrants(
  targets: ReadonlyMap<string, DeployTargetGrant>,
  stacks: ReadonlySet<string>,
): { sid: string; actions: string[]; resources: string[] }[] {
  const out = [
    {
      sid: 'CancelStackUpdates',
      actions: ['cloudformation:DescribeStacks', 'cloudformation:CancelUpdateStack'],
      resources: [...stacks],
    },
  ];
  for (const [sid, grant] of targets) {
    const stop = STOPS[sid];
    if (stop !== undefined)
      out.push({ sid: stop.sid, actions: stop.actions, resources: [...grant.resources] });
  }
  return out.filter((s) => s.resources.length > 0);
}
