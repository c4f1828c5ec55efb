import { InvokeCommand, type InvokeCommandOutput, LambdaClient } from '@aws-sdk/client-lambda';
import type { StoredArtifact } from '@pipewright/engine';
import { afterEach, describe, expect, it } from 'vitest';
import { mockedClient, UNREACHABLE } from '../testing/mocked-client.ts';
import { type AwsJobEvent, awsLambdaInvokeProvider } from './lambda-invoke.ts';
import { type AwsTestRun, makeAwsRun, TEST_BUCKET } from './testing/make-run.ts';

const client = new LambdaClient(UNREACHABLE);
const lambda = mockedClient(client);
const FUNCTION = 'arn:aws:lambda:us-east-1:123456789012:function:check-release';
const KMS = 'arn:aws:kms:us-east-1:123456789012:key/k1';

let t: AwsTestRun | undefined;
afterEach(async () => {
  await t?.cleanup();
  t = undefined;
});

const payload = (value: unknown) =>
  new TextEncoder().encode(JSON.stringify(value)) as InvokeCommandOutput['Payload'];
const log = (text: string) => Buffer.from(text).toString('base64');

function adopter() {
  const calls: [string, string][] = [];
  return {
    calls,
    async adopt(name: string, uri: string): Promise<StoredArtifact> {
      calls.push([name, uri]);
      return { name, uri, sha256: 'abc', size: 3, files: 1 };
    },
  };
}

async function invokeRun(configuration: Record<string, string>, outputs: string[] = []) {
  t = await makeAwsRun({
    action: {
      name: 'Check',
      actionTypeId: { category: 'Invoke', owner: 'AWS', provider: 'Lambda', version: '1' },
      configuration,
      outputArtifacts: outputs.map((name) => ({ name })),
    },
    inputs: { Build: { 'report.json': '{}' } },
  });
  t.run.stage = 'Verify';
  t.run.actionExecutionId = '7f0c:Verify:Check:0:1';
  return t;
}

function sentEvents(): AwsJobEvent[] {
  return lambda
    .commandCalls(InvokeCommand)
    .map((c) => JSON.parse(new TextDecoder().decode(c.args[0].input.Payload as Uint8Array)) as AwsJobEvent);
}

describe('awsLambdaInvokeProvider', () => {
  it('invokes the function with the CodePipeline job event and returns its output variables and artifacts', async () => {
    lambda.on(InvokeCommand).resolves({
      StatusCode: 200,
      Payload: payload({ outputVariables: { status: 'green', count: 3 }, summary: 'all checks passed' }),
      LogResult: log('START RequestId: 1\nchecking\nEND RequestId: 1\n'),
    });
    const { run, lines } = await invokeRun({ FunctionName: FUNCTION, UserParameters: '{"env":"prod"}' }, [
      'Report',
    ]);
    const artifacts = adopter();
    const outcome = await awsLambdaInvokeProvider({
      lambda: client,
      artifactBucket: TEST_BUCKET,
      artifacts,
      kmsKeyArn: KMS,
    }).run(run);
    expect(outcome).toEqual({
      status: 'Succeeded',
      outputArtifacts: [
        {
          name: 'Report',
          uri: 's3://pw-artifacts/artifacts/7f0c/7f0c:Verify:Check:0:1/Report.zip',
          sha256: 'abc',
          size: 3,
          files: 1,
        },
      ],
      outputVariables: { status: 'green', count: '3' },
      summary: 'all checks passed',
    });
    const input = lambda.commandCalls(InvokeCommand)[0]?.args[0].input;
    expect({ ...input, Payload: undefined }).toEqual({
      FunctionName: FUNCTION,
      InvocationType: 'RequestResponse',
      LogType: 'Tail',
      Payload: undefined,
    });
    expect(sentEvents()).toEqual([
      {
        'CodePipeline.job': {
          id: '7f0c:Verify:Check:0:1',
          accountId: '123456789012',
          data: {
            actionConfiguration: {
              configuration: { FunctionName: FUNCTION, UserParameters: '{"env":"prod"}' },
            },
            inputArtifacts: [
              {
                name: 'Build',
                location: {
                  type: 'S3',
                  s3Location: { bucketName: TEST_BUCKET, objectKey: 'artifacts/sha256/Build.zip' },
                },
              },
            ],
            outputArtifacts: [
              {
                name: 'Report',
                location: {
                  type: 'S3',
                  s3Location: {
                    bucketName: TEST_BUCKET,
                    objectKey: 'artifacts/7f0c/7f0c:Verify:Check:0:1/Report.zip',
                  },
                },
              },
            ],
            encryptionKey: { id: KMS, type: 'KMS' },
          },
        },
      },
    ]);
    expect(artifacts.calls).toEqual([
      ['Report', 's3://pw-artifacts/artifacts/7f0c/7f0c:Verify:Check:0:1/Report.zip'],
    ]);
    expect(lines.map((l) => l.text).join('')).toContain('checking\n');
  });

  it('invokes again with the continuation token until the function is done', async () => {
    lambda
      .on(InvokeCommand)
      .resolvesOnce({ StatusCode: 200, Payload: payload({ continuationToken: 'poll-1' }) })
      .resolvesOnce({ StatusCode: 200, Payload: payload({ continuationToken: 'poll-2' }) })
      .resolves({ StatusCode: 200, Payload: payload(null) });
    const { run } = await invokeRun({ FunctionName: 'wait-for-deploy' });
    expect(await awsLambdaInvokeProvider({ lambda: client, artifactBucket: TEST_BUCKET }).run(run)).toEqual({
      status: 'Succeeded',
      outputArtifacts: [],
      outputVariables: {},
    });
    const events = sentEvents();
    expect(events.map((e) => e['CodePipeline.job'].data.continuationToken)).toEqual([
      undefined,
      'poll-1',
      'poll-2',
    ]);
    expect(events[0]?.['CodePipeline.job'].accountId).toBe('');
    expect(events[0]?.['CodePipeline.job'].data).not.toHaveProperty('encryptionKey');
  });

  it('fails with the function’s error message and the tail of its log when the function throws', async () => {
    lambda.on(InvokeCommand).resolves({
      StatusCode: 200,
      FunctionError: 'Unhandled',
      Payload: payload({ errorType: 'Error', errorMessage: 'release notes are missing', trace: [] }),
      LogResult: log('START\nERROR release notes are missing\nEND\n'),
    });
    const { run } = await invokeRun({ FunctionName: 'check-release' });
    expect(await awsLambdaInvokeProvider({ lambda: client, artifactBucket: TEST_BUCKET }).run(run)).toEqual({
      status: 'Failed',
      error: { type: 'JobFailed', message: 'check-release failed: Error: release notes are missing' },
      logTail: ['START', 'ERROR release notes are missing', 'END'],
    });
  });

  it('fails when the function returns something other than an object', async () => {
    lambda.on(InvokeCommand).resolves({ StatusCode: 200, Payload: payload(['a']) });
    const { run } = await invokeRun({ FunctionName: 'check-release' });
    expect(
      await awsLambdaInvokeProvider({ lambda: client, artifactBucket: TEST_BUCKET }).run(run),
    ).toMatchObject({
      status: 'Failed',
      error: { type: 'JobFailed', message: 'check-release returned an array; return an object or nothing' },
    });
  });

  it('maps a missing function to a ConfigurationError and a denied invoke to a PermissionError', async () => {
    lambda
      .on(InvokeCommand)
      .rejectsOnce(
        Object.assign(new Error('Function not found: arn:…:nope'), { name: 'ResourceNotFoundException' }),
      )
      .rejectsOnce(
        Object.assign(new Error('not authorized to perform: lambda:InvokeFunction'), {
          name: 'AccessDeniedException',
        }),
      );
    const { run } = await invokeRun({ FunctionName: 'nope' });
    const provider = awsLambdaInvokeProvider({ lambda: client, artifactBucket: TEST_BUCKET });
    expect(await provider.run(run)).toMatchObject({
      error: {
        type: 'ConfigurationError',
        message: expect.stringContaining('invoking nope failed: ResourceNotFoundException'),
      },
    });
    expect(await provider.run(run)).toMatchObject({ error: { type: 'PermissionError' } });
  });

  it('refuses output artifacts it could not adopt and configuration core’s schema rejects, invoking nothing', async () => {
    const { run } = await invokeRun({ FunctionName: 'f' }, ['Report']);
    const provider = awsLambdaInvokeProvider({ lambda: client, artifactBucket: TEST_BUCKET });
    expect(await provider.run(run)).toMatchObject({
      error: {
        type: 'ConfigurationError',
        message: expect.stringContaining('wire awsProviders({ artifacts })'),
      },
    });
    run.action.configuration = { FunctionName: 'f', Extra: 'x' };
    expect(await provider.run(run)).toMatchObject({
      error: {
        type: 'ConfigurationError',
        message: expect.stringContaining('Invoke/Lambda action "Check": configuration'),
      },
    });
    expect(lambda.commandCalls(InvokeCommand)).toHaveLength(0);
  });
});
