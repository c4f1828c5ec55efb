/**
 * The deployment plan of the three examples, as `sst deploy` would read them from
 * `pipelines/`: IAM statements, event patterns, schedules and state machine definitions.
 */
import {
  type AslState,
  type AslTaskState,
  compilePipeline,
  decideTrigger,
  matchEventPattern,
  type Pipeline,
  type TriggerDelivery,
} from '@pipewright/core';
import {
  actionRunnerPolicy,
  checkDeployment,
  type DeploymentPlan,
  deploymentPlan,
  LOG_DELIVERY_ACTIONS,
  type PolicyStatement,
  runnerProjectPolicy,
} from '@pipewright/core/deploy';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanupsAfter } from '../support/cleanups.ts';
import { aslValidator, examplePipelines, SITE } from './example-pipelines.ts';

const cleanups = cleanupsAfter(afterAll);
const KEY = 'arn:aws:kms:eu-west-1:123456789012:key/0f0e0d0c-1111-2222-3333-444455556666';
const NAMES = { ...SITE, artifactKeyArn: KEY };
const arn = (service: string, resource: string) => `arn:aws:${service}:eu-west-1:123456789012:${resource}`;
const RUNNER_FN = arn('lambda', 'function:pipewright-test-action-runner');
const GATE_FN = arn('lambda', 'function:pipewright-test-stage-gate');

let pipelines: Pipeline[];
let byName: Record<string, Pipeline>;
let plan: DeploymentPlan<string>;

beforeAll(() => {
  ({ pipelines, byName } = examplePipelines(cleanups));
  plan = deploymentPlan(pipelines, NAMES);
});

function bySid(statements: PolicyStatement[]): Record<string, PolicyStatement> {
  return Object.fromEntries(statements.map((s) => [s.Sid, s]));
}

function pipelinePlan(name: string) {
  const p = plan.pipelines.find((x) => x.name === name);
  if (!p) throw new Error(`no plan for ${name}`);
  return p;
}

function tasks(states: Record<string, AslState>): AslTaskState[] {
  return Object.values(states).flatMap((s) =>
    s.Type === 'Parallel' ? s.Branches.flatMap((b) => tasks(b.States)) : s.Type === 'Task' ? [s] : [],
  );
}

describe('the examples as deployed', () => {
  it('reads the three examples from pipelines/, sorted by file name', () => {
    expect(pipelines.map((p) => p.name)).toEqual(['library', 'MyPipeline', 'web-app']);
  });

  it.each(['library', 'MyPipeline', 'web-app'])(
    '%s: deploys its compiled definition, valid ASL, whose every Task invokes the runner or the gate',
    (name) => {
      // Prepare
      const machine = pipelinePlan(name).stateMachine;
      const pipeline = byName[name] as Pipeline;
      // Act
      const definition = JSON.parse(machine.definition) as { States: Record<string, AslState> };
      // Assess
      expect(machine.name).toBe(`pipewright-test-${name}`);
      expect(definition).toEqual(
        JSON.parse(
          JSON.stringify(
            compilePipeline(pipeline, { resources: { actionRunner: RUNNER_FN, stageGate: GATE_FN } }),
          ),
        ),
      );
      const result = aslValidator(definition, { checkPaths: true, checkArn: true });
      expect(result.errorsText('\n')).toBe('');
      expect(result.isValid).toBe(true);
      const invoked = new Set(tasks(definition.States).map((t) => t.Arguments.FunctionName));
      expect([...invoked].sort()).toEqual([RUNNER_FN, GATE_FN]);
      expect(machine.role.policy).toEqual([
        {
          Sid: 'InvokePipewrightFunctions',
          Effect: 'Allow',
          Action: ['lambda:InvokeFunction'],
          Resource: [RUNNER_FN, GATE_FN],
        },
        { Sid: 'DeliverExecutionLogs', Effect: 'Allow', Action: LOG_DELIVERY_ACTIONS, Resource: ['*'] },
      ]);
      expect(machine.logGroup.name).toBe(`/aws/vendedlogs/states/pipewright-test-${name}`);
    },
  );

  it("web-app: its pushes come relayed on Pipewright's bus through the shared rule; the trigger function drops the docs-only ones", () => {
    // Prepare
    const relayed = (id: string, files: string[]) => ({
      id,
      source: 'pipewright.webhook',
      'detail-type': 'Pipewright Trigger Delivery',
      detail: {
        pipeline: 'web-app',
        delivery: {
          kind: 'git',
          triggerId: id,
          at: '2026-01-05T06:00:00.000Z',
          event: { kind: 'push', ref: 'refs/heads/main', changedFiles: files },
        },
      },
    });
    const exact = (id: string, files: string[]) =>
      decideTrigger(
        byName['web-app'] as Pipeline,
        relayed(id, files).detail.delivery as TriggerDelivery,
        `x-${id}`,
      ).result.matched;
    // Assess
    expect(pipelinePlan('web-app').rules).toEqual([]);
    expect(plan.webhookRule).toMatchObject({
      name: 'pipewright-test-webhook-deliveries',
      eventBus: 'pipewright',
      target: 'trigger',
    });
    expect(matchEventPattern(plan.webhookRule.eventPattern, relayed('1', ['src/app.ts']))).toBe(true);
    expect(exact('1', ['src/app.ts'])).toBe(true);
    expect(exact('2', ['docs/readme.md'])).toBe(false);
  });

  it('web-app: schedules its cron trigger in UTC, invoking the trigger function with the tick time', () => {
    expect(pipelinePlan('web-app').schedules).toEqual([
      {
        name: 'pipewright-test-web-app-schedule-2',
        description: 'Starts pipeline web-app (trigger 2: cron(0 6 ? * MON-FRI *) UTC)',
        scheduleExpression: 'cron(0 6 ? * MON-FRI *)',
        scheduleExpressionTimezone: 'UTC',
        triggerIndex: 1,
        input:
          '{"kind":"schedule","pipeline":"web-app","triggerIndex":1,"expression":"cron(0 6 ? * MON-FRI *)","timezone":"UTC","scheduledTime":"<aws.scheduler.scheduled-time>"}',
      },
    ]);
    expect(plan.scheduler?.role.policy).toEqual([
      {
        Sid: 'InvokeTrigger',
        Effect: 'Allow',
        Action: ['lambda:InvokeFunction'],
        Resource: [arn('lambda', 'function:pipewright-test-trigger')],
      },
      {
        Sid: 'FailedDeliveries',
        Effect: 'Allow',
        Action: ['sqs:SendMessage'],
        Resource: [arn('sqs', 'pipewright-test-failed-deliveries')],
      },
    ]);
  });

  it('library: has no trigger, so a relayed push to main starts it (change detection); seed: CodeCommit without triggers has no rule', () => {
    const push = (ref: string): TriggerDelivery => ({
      kind: 'git',
      triggerId: ref,
      at: '2026-01-05T06:00:00.000Z',
      event: { kind: 'push', ref, changedFiles: ['src/index.ts'] },
    });
    expect(pipelinePlan('library').rules).toEqual([]);
    expect(decideTrigger(byName.library as Pipeline, push('refs/heads/main'), 'x-1').result.matched).toBe(
      true,
    );
    expect(decideTrigger(byName.library as Pipeline, push('refs/heads/dev'), 'x-2').result.matched).toBe(
      false,
    );
    expect(pipelinePlan('library').schedules).toEqual([]);
    expect(pipelinePlan('MyPipeline').rules).toEqual([]);
    expect(pipelinePlan('MyPipeline').schedules).toEqual([]);
  });

  it('passes the deploy check: every quota under its limit, no wildcard grant', () => {
    expect(checkDeployment(pipelines, plan).problems).toEqual([]);
  });

  it('grants the action runner the runner project and exactly the CodeBuild projects the examples name', () => {
    const s = bySid(actionRunnerPolicy(pipelines, NAMES));
    expect(s.RunnerBuilds?.Resource).toEqual([arn('codebuild', 'project/pipewright-test-runner')]);
    expect(s.CodeBuildProjects?.Resource).toEqual([
      arn('codebuild', 'project/library-package'),
      arn('codebuild', 'project/MyBuildProject'),
    ]);
    // The stage's state machines by pattern: the policy does not grow with every pipeline.
    expect(s.TaskTokens?.Resource).toEqual([arn('states', 'stateMachine:pipewright-test-*')]);
    expect(s.ArtifactKey?.Resource).toEqual([KEY]);
    // web-app deploys to a local directory: nothing to grant in AWS, and the plan says so.
    expect(s.DeployObjects).toBeUndefined();
    expect(s.InvokeFunctions).toBeUndefined();
    expect(s.CloudFormationStacks).toBeUndefined();
    expect(plan.functions.actionRunner.policy).toEqual(actionRunnerPolicy(pipelines, NAMES));
    expect(plan.warnings).toEqual([
      'library: stage "Source" action "Checkout": RepositoryUrl "./repo" is a local path; in AWS the runner project clones over the network — use an https:// or ssh URL',
      'web-app: stage "Source" action "Checkout": RepositoryUrl "./repo" is a local path; in AWS the runner project clones over the network — use an https:// or ssh URL',
      'web-app: stage "Deploy" action "Publish": BucketName "./deployed/#{variables.DEPLOY_ENV}" is not an S3 bucket name (a local directory?); it deploys only locally — in AWS name a bucket',
    ]);
  });

  it("lets the runner project pull the seed's CodeCommit repository and the callback hear the examples' builds", () => {
    expect(bySid(runnerProjectPolicy(pipelines, NAMES)).PullRepositories?.Resource).toEqual([
      arn('codecommit', 'MyRepo'),
    ]);
    const builds = plan.callbackRules.find((r) => r.name === 'pipewright-test-codebuild-builds');
    expect(builds?.eventPattern).toEqual({
      source: ['aws.codebuild'],
      'detail-type': ['CodeBuild Build State Change'],
      detail: {
        'project-name': ['pipewright-test-runner', 'library-package', 'MyBuildProject'],
        'build-status': [{ 'anything-but': ['IN_PROGRESS'] }],
      },
    });
  });

  it('gives every pipeline a topic, without subscriptions when it lists no emails', () => {
    expect(plan.pipelines.map((p) => [p.topic.name, p.topic.subscriptions])).toEqual([
      ['pipewright-test-library-notifications', []],
      ['pipewright-test-MyPipeline-notifications', []],
      ['pipewright-test-web-app-notifications', []],
    ]);
  });
});
