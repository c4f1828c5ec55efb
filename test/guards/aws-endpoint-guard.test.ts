import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { describe, expect, it } from 'vitest';
import { GUARD_SELF_TEST } from './aws-endpoint-guard.ts';

describe('the AWS endpoint guard', () => {
  it('answers a client configured without a local endpoint or mock with an error saying so', async () => {
    // Prepare: a client as production code builds it, with no endpoint.
    const client = new SNSClient({});
    // Act
    const sent = client.send(
      new PublishCommand({ TopicArn: 'arn:aws:sns:us-east-1:1:t', Message: GUARD_SELF_TEST }),
    );
    // Assess
    await expect(sent).rejects.toThrow(/without a local endpoint or a mock/);
    expect(process.env.AWS_ENDPOINT_URL).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('answers JSON-protocol clients (DynamoDB) the same way', async () => {
    // Prepare
    const client = new DynamoDBClient({});
    // Act
    const sent = client.send(new DescribeTableCommand({ TableName: GUARD_SELF_TEST }));
    // Assess
    await expect(sent).rejects.toThrow(/without a local endpoint or a mock/);
  });
});
