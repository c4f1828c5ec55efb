import { describe, expect, it } from 'vitest';
import { eventNames, parseResource, serviceExceptionName } from './resources.ts';

describe('parseResource', () => {
  it('reads Lambda function ARNs with and without a qualifier', () => {
    const fn = parseResource('arn:aws:lambda:eu-west-1:123456789012:function:build:prod');
    expect(fn).toMatchObject({ kind: 'lambda-function', name: 'build', pattern: 'request' });
    expect(eventNames(fn as never).scheduled).toBe('LambdaFunctionScheduled');
    expect(parseResource('arn:aws:lambda:eu-west-1:123456789012:function:build:$LATEST')?.name).toBe('build');
  });

  it('reads the integration patterns of optimized and SDK integrations', () => {
    expect(parseResource('arn:aws:states:::lambda:invoke.waitForTaskToken')).toMatchObject({
      kind: 'lambda-invoke',
      pattern: 'token',
    });
    expect(parseResource('arn:aws:states:::states:startExecution.sync:2')).toMatchObject({
      kind: 'integration',
      service: 'states',
      action: 'startExecution.sync:2',
      pattern: 'sync',
      base: 'arn:aws:states:::states:startExecution',
    });
    expect(parseResource('arn:aws:states:::aws-sdk:s3:listObjectsV2')).toMatchObject({
      service: 'aws-sdk:s3',
      action: 'listObjectsV2',
      pattern: 'request',
    });
    expect(parseResource('arn:aws:states:us-east-1:123456789012:activity:approve')).toMatchObject({
      kind: 'activity',
      name: 'approve',
    });
  });

  it('refuses what is no Task resource (and patterns a resource does not have)', () => {
    for (const arn of [
      'arn:aws:states:::nothing',
      'work',
      'arn:aws:states:::lambda:invoke.sync',
      'arn:aws:states:::aws-sdk:s3:getObject.sync',
    ])
      expect(parseResource(arn), arn).toBeUndefined();
  });
});

describe('serviceExceptionName', () => {
  it('names an SDK integration error after its service', () => {
    expect(serviceExceptionName('aws-sdk:s3')).toBe('S3.S3Exception');
    expect(serviceExceptionName('aws-sdk:dynamodb')).toBe('Dynamodb.DynamodbException');
  });
});
