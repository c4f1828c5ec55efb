import { describe, expect, it } from 'vitest';
import { action, NAMES, pipeline } from './deploy.test-helper.ts';
import { externalGrants } from './external-grants.ts';

describe('externalGrants', () => {
  it('asks other accounts to trust the deploying account for what they own, and nothing of its own account', () => {
    // Prepare
    const p = pipeline('web', [
      {
        name: 'Deploy',
        actions: [
          action(
            'Ship',
            'Invoke',
            'Lambda',
            { FunctionName: 'arn:aws:lambda:eu-west-1:444455556666:function:ship' },
            { roleArn: 'arn:aws:iam::111122223333:role/deployer' },
          ),
          action('Local', 'Invoke', 'Lambda', { FunctionName: 'notify' }),
        ],
      },
    ]);
    // Act
    const grants = externalGrants(p, NAMES);
    // Assess
    expect(grants).toEqual([
      {
        pipeline: 'web',
        account: '111122223333',
        kind: 'role trust policy',
        resource: 'arn:aws:iam::111122223333:role/deployer',
        statement: {
          Sid: 'TrustPipewright',
          Effect: 'Allow',
          Principal: { AWS: 'arn:aws:iam::123456789012:root' },
          Action: 'sts:AssumeRole',
        },
      },
      {
        pipeline: 'web',
        account: '444455556666',
        kind: 'Lambda function policy',
        resource: 'arn:aws:lambda:eu-west-1:444455556666:function:ship',
        statement: {
          Sid: 'PipewrightInvoke',
          Effect: 'Allow',
          Principal: { AWS: 'arn:aws:iam::123456789012:root' },
          Action: 'lambda:InvokeFunction',
          Resource: 'arn:aws:lambda:eu-west-1:444455556666:function:ship',
        },
      },
    ]);
  });
});
