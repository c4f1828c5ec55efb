import {
  CreateChangeSetCommand,
  DescribeChangeSetCommand,
  DescribeStacksCommand,
  ExecuteChangeSetCommand,
} from '@aws-sdk/client-cloudformation';
import type { ActionOutcome } from '@pipewright/engine';
import { describe, expect, it, vi } from 'vitest';
import { cloudFormationHarness, named } from './testing/cloudformation-harness.ts';

const h = cloudFormationHarness();
const { cfn, cfnClient, provider, deployRun, hash, names } = h;

describe('awsCloudFormationDeployProvider: long waits (the state machine polls; no call waits)', () => {
  const createUpdate = {
    ActionMode: 'CREATE_UPDATE',
    StackName: 'web',
    TemplatePath: 'Build::template.yaml',
  };

  it('answers InProgress after creating the change set, then executes it on a poll and polls the stack', async () => {
    // Prepare
    const run = await deployRun(createUpdate);
    const changeSet = `pipewright-${hash().slice(0, 24)}`;
    // Act
    const first = await provider.run(run);
    // Assess
    expect(first).toEqual({
      status: 'InProgress',
      state: { phase: 'changeSet', changeSet, next: 'execute' },
      pollAfterSeconds: 5,
      summary: `creating change set ${changeSet} (CREATE) of stack web`,
    });
    expect(names()).toEqual(['DescribeStacks', 'CreateChangeSet']);
    if (first.status !== 'InProgress') throw new Error('not in progress');
    const second = await provider.run({ ...run, progress: first.state });
    expect(second).toMatchObject({ status: 'InProgress', state: { phase: 'stack' }, pollAfterSeconds: 15 });
    expect(names().slice(2)).toEqual(['DescribeChangeSet', 'ExecuteChangeSet']);
    const polls: ActionOutcome[] = [];
    let outcome = second;
    while (outcome.status === 'InProgress') {
      polls.push(outcome);
      outcome = await provider.run({ ...run, progress: outcome.state });
    }
    expect(outcome).toMatchObject({ status: 'Succeeded', summary: 'stack web is CREATE_COMPLETE' });
    expect(polls.length).toBeGreaterThanOrEqual(2);
  });

  it('executes nothing twice when a poll is delivered twice', async () => {
    // Prepare
    const run = await deployRun(createUpdate);
    const first = await provider.run(run);
    if (first.status !== 'InProgress') throw new Error('not in progress');
    // Act: the same poll twice (Step Functions delivers at least once)
    const a = await provider.run({ ...run, progress: first.state });
    const b = await provider.run({ ...run, progress: first.state });
    // Assess
    expect(a).toMatchObject({ status: 'InProgress', state: { phase: 'stack' } });
    expect(b.status).not.toBe('Failed');
    expect(cfn.commandCalls(ExecuteChangeSetCommand)).toHaveLength(1);
  });

  it('polls again when CloudFormation throttles, and goes on from the same state', async () => {
    // Prepare
    const run = await deployRun(createUpdate);
    const first = await provider.run(run);
    if (first.status !== 'InProgress') throw new Error('not in progress');
    const throttled = named('Throttling', 'Rate exceeded');
    const describe = cfn.commandCalls(DescribeChangeSetCommand).length;
    let throttledOnce = false;
    const original = cfnClient.send.bind(cfnClient);
    const spy = vi.spyOn(cfnClient, 'send').mockImplementation(((command: unknown, options: unknown) => {
      if (command instanceof DescribeChangeSetCommand && !throttledOnce) {
        throttledOnce = true;
        return Promise.reject(throttled);
      }
      return (original as (c: unknown, o: unknown) => Promise<unknown>)(command, options);
    }) as typeof cfnClient.send);
    // Act
    const again = await provider.run({ ...run, progress: first.state });
    let outcome = again;
    while (outcome.status === 'InProgress') outcome = await provider.run({ ...run, progress: outcome.state });
    spy.mockRestore();
    // Assess
    expect(again).toEqual({
      status: 'InProgress',
      state: { ...first.state, transient: 1 },
      pollAfterSeconds: 30,
    });
    expect(h.logText()).toContain('Throttling: Rate exceeded; trying again in 30 s');
    expect(outcome).toMatchObject({ status: 'Succeeded', summary: 'stack web is CREATE_COMPLETE' });
    expect(cfn.commandCalls(DescribeChangeSetCommand).length).toBeGreaterThan(describe);
    expect(cfn.commandCalls(ExecuteChangeSetCommand)).toHaveLength(1);
  });

  it('fails after five transient failures in a row, as SystemUnavailable', async () => {
    // Prepare
    const run = await deployRun(createUpdate);
    cfn.on(DescribeStacksCommand).rejects(named('ThrottlingException', 'Rate exceeded'));
    // Act
    let outcome = await provider.run(run);
    let calls = 1;
    while (outcome.status === 'InProgress') {
      outcome = await provider.run({ ...run, progress: outcome.state });
      calls++;
    }
    // Assess
    expect(calls).toBe(6);
    expect(outcome).toMatchObject({
      status: 'Failed',
      error: { type: 'SystemUnavailable', message: expect.stringContaining('5 times in a row') },
    });
    expect(cfn.commandCalls(CreateChangeSetCommand)).toHaveLength(0);
  });

  it('fails at once, without polling, when access is denied', async () => {
    // Prepare
    const run = await deployRun(createUpdate);
    cfn.on(CreateChangeSetCommand).rejects(
      Object.assign(
        named('AccessDenied', 'User is not authorized to perform: cloudformation:CreateChangeSet'),
        {
          $metadata: { httpStatusCode: 403 },
        },
      ),
    );
    // Act
    const outcome = await provider.run(run);
    // Assess
    expect(outcome).toEqual({
      status: 'Failed',
      error: {
        type: 'PermissionError',
        message: expect.stringContaining('creating change set pipewright-'),
      },
    });
    expect(cfn.commandCalls(CreateChangeSetCommand)).toHaveLength(1);
  });
});
