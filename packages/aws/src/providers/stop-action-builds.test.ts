import {
  BatchGetBuildBatchesCommand,
  BatchGetBuildsCommand,
  CodeBuildClient,
  ListBuildBatchesForProjectCommand,
  ListBuildsForProjectCommand,
  StopBuildBatchCommand,
  StopBuildCommand,
} from '@aws-sdk/client-codebuild';
import type { EventRecord } from '@pipewright/core';
import { describe, expect, it } from 'vitest';
import { awsError, mockedClient, UNREACHABLE } from '../testing/mocked-client.ts';
import { buildsToStop, stopAbandonedBuilds, stopActionBuild } from './stop-action-builds.ts';

const client = new CodeBuildClient(UNREACHABLE);
const codebuild = mockedClient(client);

let seq = 0;
function record(type: string, data: Record<string, unknown>): EventRecord {
  seq += 1;
  return { id: `e${seq}`, type, at: '2026-12-04T00:00:00Z', data, stream: 'execution-7f0c', seq };
}
function started(action: string, provider: string, category: string, configuration: Record<string, string>) {
  return record('ActionStarted', {
    stageName: 'Build',
    actionName: action,
    actionExecutionId: `7f0c:Build:${action}:0:1`,
    actionTypeId: { category, owner: 'AWS', provider, version: '1' },
    resolvedConfiguration: configuration,
    inputArtifacts: [],
  });
}
const ref = (action: string) => ({
  stageName: 'Build',
  actionName: action,
  actionExecutionId: `7f0c:Build:${action}:0:1`,
});

describe('buildsToStop', () => {
  it('names the builds of actions abandoned or failed before their build ended', () => {
    const history = [
      started('Compile', 'CodeBuild', 'Build', { ProjectName: 'app-build' }),
      started('Matrix', 'CodeBuild', 'Build', { ProjectName: 'app-matrix', BatchEnabled: 'true' }),
      started('Lint', 'Commands', 'Build', {}),
      started('Own', 'CodeBuild', 'Build', { ProjectName: 'done' }),
      started('Notify', 'Lambda', 'Invoke', { FunctionName: 'n' }),
    ];
    const batch = [
      record('ActionAbandoned', { ...ref('Compile'), reason: 'stopped' }),
      record('ActionFailed', {
        ...ref('Matrix'),
        error: { code: 'JobFailed', message: 'stage failed' },
        retryable: false,
      }),
      record('ActionFailed', {
        ...ref('Lint'),
        error: { code: 'JobFailed', message: 'x' },
        retryable: false,
      }),
      // The build itself ended (it names it): nothing to stop.
      record('ActionFailed', {
        ...ref('Own'),
        externalExecutionId: 'done:1',
        error: { code: 'JobFailed', message: 'x' },
        retryable: false,
      }),
      record('ActionAbandoned', ref('Notify')),
    ];
    expect(buildsToStop(history, batch, 'pw-runner')).toEqual([
      { project: 'app-build', actionExecutionId: '7f0c:Build:Compile:0:1', batch: false },
      { project: 'app-matrix', actionExecutionId: '7f0c:Build:Matrix:0:1', batch: true },
      { project: 'pw-runner', actionExecutionId: '7f0c:Build:Lint:0:1', batch: false },
    ]);
  });
});

const mine = [
  { name: 'PIPEWRIGHT_ACTION_EXECUTION_ID', value: '7f0c:Build:Compile:0:1', type: 'PLAINTEXT' as const },
];
const other = [{ name: 'PIPEWRIGHT_ACTION_EXECUTION_ID', value: 'other', type: 'PLAINTEXT' as const }];

const env = (environmentVariables: typeof mine) =>
  ({
    type: 'LINUX_CONTAINER',
    image: 'aws/codebuild/standard:7.0',
    computeType: 'BUILD_GENERAL1_SMALL',
    environmentVariables,
  }) as const;

describe('stopActionBuild', () => {
  it('stops the in-progress build started for the attempt, and only that one', async () => {
    codebuild
      .on(ListBuildsForProjectCommand)
      .resolves({ ids: ['app-build:3', 'app-build:2', 'app-build:1'] });
    codebuild.on(BatchGetBuildsCommand).resolves({
      builds: [
        { id: 'app-build:3', buildStatus: 'IN_PROGRESS', environment: env(other) },
        { id: 'app-build:2', buildStatus: 'IN_PROGRESS', environment: env(mine) },
        { id: 'app-build:1', buildStatus: 'SUCCEEDED', environment: env(mine) },
      ],
    });
    codebuild.on(StopBuildCommand).resolves({});
    const target = { project: 'app-build', actionExecutionId: '7f0c:Build:Compile:0:1', batch: false };
    expect(await stopActionBuild(client, target)).toBe('app-build:2');
    expect(codebuild.commandCalls(ListBuildsForProjectCommand)[0]?.args[0].input).toEqual({
      projectName: 'app-build',
      sortOrder: 'DESCENDING',
    });
    expect(codebuild.commandCalls(StopBuildCommand).map((c) => c.args[0].input)).toEqual([
      { id: 'app-build:2' },
    ]);
  });

  it('stops nothing when the build already finished (a duplicate delivery)', async () => {
    codebuild.on(ListBuildsForProjectCommand).resolves({ ids: ['app-build:2'] });
    codebuild.on(BatchGetBuildsCommand).resolves({
      builds: [{ id: 'app-build:2', buildStatus: 'STOPPED', environment: env(mine) }],
    });
    const target = { project: 'app-build', actionExecutionId: '7f0c:Build:Compile:0:1', batch: false };
    expect(await stopActionBuild(client, target)).toBeUndefined();
    expect(codebuild.commandCalls(StopBuildCommand)).toHaveLength(0);
  });

  it('stops a batch build with StopBuildBatch', async () => {
    codebuild.on(ListBuildBatchesForProjectCommand).resolves({ ids: ['app-matrix:b1'] });
    codebuild.on(BatchGetBuildBatchesCommand).resolves({
      buildBatches: [{ id: 'app-matrix:b1', buildBatchStatus: 'IN_PROGRESS', environment: env(mine) }],
    });
    codebuild.on(StopBuildBatchCommand).resolves({});
    const target = { project: 'app-matrix', actionExecutionId: '7f0c:Build:Compile:0:1', batch: true };
    expect(await stopActionBuild(client, target)).toBe('app-matrix:b1');
    expect(codebuild.commandCalls(StopBuildBatchCommand)[0]?.args[0].input).toEqual({ id: 'app-matrix:b1' });
    expect(codebuild.commandCalls(StopBuildCommand)).toHaveLength(0);
  });

  it('passes over a build it may not stop and still stops the others (best effort)', async () => {
    codebuild
      .on(ListBuildsForProjectCommand, { projectName: 'denied' })
      .rejects(awsError('AccessDeniedException', 400));
    codebuild
      .on(ListBuildsForProjectCommand, { projectName: 'app-build' })
      .resolves({ ids: ['app-build:2'] });
    codebuild.on(BatchGetBuildsCommand).resolves({
      builds: [{ id: 'app-build:2', buildStatus: 'IN_PROGRESS', environment: env(mine) }],
    });
    codebuild.on(StopBuildCommand).resolves({});
    const history = [
      started('Other', 'CodeBuild', 'Build', { ProjectName: 'denied' }),
      started('Compile', 'CodeBuild', 'Build', { ProjectName: 'app-build' }),
    ];
    const batch = [record('ActionAbandoned', ref('Other')), record('ActionAbandoned', ref('Compile'))];
    const problems: string[] = [];
    expect(await stopAbandonedBuilds(client, history, batch, 'pw-runner', (m) => problems.push(m))).toEqual([
      'app-build:2',
    ]);
    expect(problems).toEqual([
      expect.stringContaining('could not stop the build of 7f0c:Build:Other:0:1 in project denied'),
    ]);
  });
});
