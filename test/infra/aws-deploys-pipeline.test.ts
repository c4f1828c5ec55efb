/**
 * A CodePipeline definition using the AWS deploy providers (ECS, CodeDeploy, CodeDeployToECS,
 * Elastic Beanstalk, Step Functions), in `get-pipeline` JSON and YAML shapes: it validates,
 * compiles to a definition asl-validator accepts with a long-wait loop per action, runs to
 * the end in the local states runtime (every action polled at least once), and its deployment
 * plan grants the action runner exactly what the actions name.
 */
import { readFileSync } from 'node:fs';
import { compilePipeline, loadPipelines, type Pipeline, validatePipeline } from '@pipewright/core';
import { actionRunnerPolicy, functionPolicies, type PolicyStatement } from '@pipewright/core/deploy';
import { describe, expect, it } from 'vitest';
import { aslProblems } from '../support/asl-validation.ts';
import { runCompiledPipeline } from '../support/compiled-run.ts';
import { SITE } from './example-pipelines.ts';

const FIXTURES = new URL('../fixtures/pipelines/', import.meta.url);
const SHAPES = ['aws-deploys.get-pipeline.json', 'aws-deploys.get-pipeline.yaml'];
const KEY = 'arn:aws:kms:eu-west-1:123456789012:key/0f0e0d0c-1111-2222-3333-444455556666';
const POLLED = ['Deploy.Service', 'Deploy.Fleet', 'Deploy.BlueGreen', 'Deploy.Legacy', 'Deploy.Migrate'];

function load(file: string): Pipeline {
  const { pipelines, diagnostics } = loadPipelines(readFileSync(new URL(file, FIXTURES), 'utf8'), { file });
  const loaded = pipelines[0];
  if (loaded === undefined) throw new Error(`${file}: ${JSON.stringify(diagnostics)}`);
  const errors = [...diagnostics, ...validatePipeline(loaded)].filter((d) => d.severity === 'error');
  expect(errors).toEqual([]);
  return loaded.pipeline;
}

describe('the AWS deploy providers in a get-pipeline definition', () => {
  it('loads the same pipeline from the JSON and the YAML shape, without validation errors', () => {
    expect(load(SHAPES[1] as string)).toEqual(load(SHAPES[0] as string));
  });

  it('compiles every deploy to a long-wait loop that asl-validator accepts', () => {
    const definition = compilePipeline(load(SHAPES[0] as string), {
      resources: { actionRunner: 'runner', stageGate: 'gate' },
    });
    expect(aslProblems(definition)).toBe('');
    const names = new Set([
      ...Object.keys(definition.States),
      ...Object.values(definition.States).flatMap((s) =>
        'Branches' in s ? s.Branches.flatMap((b) => Object.keys(b.States)) : [],
      ),
    ]);
    for (const task of POLLED)
      for (const part of ['', '.polling', '.wait', '.poll']) expect(names).toContain(`${task}${part}`);
  });

  it('runs to Succeeded in the states runtime, each deploy answering "in progress" once', async () => {
    // Prepare
    const pipeline = load(SHAPES[1] as string);
    const polls: string[] = [];
    // Act
    const result = await runCompiledPipeline(pipeline, 'deploys', (call) => {
      const name = `${call.stage}.${call.action}`;
      if (call.progress !== undefined) polls.push(name);
      const first = call.progress === undefined && POLLED.includes(name);
      return first ? { progress: { actionExecutionId: name, state: { n: 1 } }, waitSeconds: 30 } : {};
    });
    // Assess
    expect(result.status, result.cause).toBe('SUCCEEDED');
    expect([...polls].sort()).toEqual([...POLLED].sort());
  });

  it('grants the action runner what the deploys name, and no more', () => {
    const pipeline = load(SHAPES[0] as string);
    const statements = actionRunnerPolicy([pipeline], { ...SITE, artifactKeyArn: KEY });
    const sid = (id: string): PolicyStatement | undefined => statements.find((s) => s.Sid === id);
    const arn = (service: string, resource: string) =>
      `arn:aws:${service}:eu-west-1:123456789012:${resource}`;
    expect(sid('EcsServices')).toMatchObject({
      Action: ['ecs:DescribeServices', 'ecs:UpdateService'],
      Resource: [arn('ecs', 'service/prod/web')],
    });
    expect(sid('EcsTaskDefinitions')?.Action).toEqual([
      'ecs:DescribeTaskDefinition',
      'ecs:RegisterTaskDefinition',
    ]);
    expect(sid('PassRolesToEcsTasks')?.Condition).toEqual({
      StringEquals: { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' },
    });
    expect(sid('CodeDeployGroups')).toMatchObject({
      Action: ['codedeploy:CreateDeployment', 'codedeploy:GetDeployment', 'codedeploy:StopDeployment'],
      Resource: [
        arn('codedeploy', 'deploymentgroup:app/prod-fleet'),
        arn('codedeploy', 'deploymentgroup:app-ecs/prod-bg'),
      ],
    });
    expect(sid('BeanstalkEnvironments')?.Resource).toEqual([
      arn('elasticbeanstalk', 'environment/legacy/legacy-prod'),
    ]);
    expect(sid('StartStateMachines')).toMatchObject({
      Action: ['states:StartExecution'],
      Resource: [arn('states', 'stateMachine:db-migrate')],
    });
    expect(sid('StateMachineExecutions')?.Resource).toEqual([arn('states', 'execution:db-migrate:*')]);
  });

  it('lets the HTTP function, where stops arrive, stop what the actions started, and nothing else', () => {
    const pipeline = load(SHAPES[0] as string);
    const http = functionPolicies([pipeline], { ...SITE, artifactKeyArn: KEY }).http;
    const sid = (id: string): PolicyStatement | undefined => http.find((s) => s.Sid === id);
    expect(sid('StopDeployments')?.Action).toEqual(['codedeploy:StopDeployment']);
    expect(sid('StopStateMachineExecutions')?.Resource).toEqual([
      'arn:aws:states:eu-west-1:123456789012:execution:db-migrate:*',
    ]);
    expect(sid('AbortEnvironmentUpdates')?.Action).toEqual(['elasticbeanstalk:AbortEnvironmentUpdate']);
    expect(http.flatMap((s) => s.Action)).not.toContain('codedeploy:CreateDeployment');
    expect(http.flatMap((s) => s.Action)).not.toContain('ecs:UpdateService');
  });
});
