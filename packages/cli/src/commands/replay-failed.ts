import type { Command } from '../command.ts';
import { CliError, EXIT, UsageError } from '../errors.ts';
import { palette } from '../io.ts';

/** The app name `sst.config.ts` deploys as. */
const APP = 'pipewright';

/** The stage's queue or AWS could not be reached. Exit 1. */
class ReplayError extends CliError {
  override readonly name = 'ReplayError';
  constructor(message: string, options?: ErrorOptions) {
    super('PW4010', message, EXIT.failed, options);
  }
}

function positiveInteger(value: unknown, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1)
    throw new UsageError(`${flag} must be a positive whole number; got "${String(value)}"`);
  return n;
}

/**
 * `pipewright replay-failed --stage NAME`: redelivers what the stage's failed-deliveries queue
 * holds (failed trigger/callback invocations, stream batches the projector passed over, rule
 * and schedule dead letters) to the functions they were meant for, with the caller's AWS
 * credentials. Idempotent: the functions ignore what they already recorded.
 */
export const replayFailedCommand: Command = {
  name: 'replay-failed',
  summary:
    "Redeliver the deployed stage's failed deliveries (its failed-deliveries queue) to their functions",
  usage: 'pipewright replay-failed --stage NAME [--region R] [--app NAME] [--max N] [--json]',
  optionHelp: [
    '--stage NAME   the SST stage whose queue to replay (pipewright-<stage>-failed-deliveries)',
    '--region R     its region (default $AWS_REGION / $AWS_DEFAULT_REGION and your AWS profile)',
    '--app NAME     the SST app name (default pipewright)',
    '--max N        take at most N messages (default 1000)',
    '--json         print one JSON object: { received, replayed, kept, outcomes }',
    'Uses your AWS credentials (sqs:ReceiveMessage/DeleteMessage/GetQueueUrl, lambda:InvokeFunction,',
    'dynamodb:GetShardIterator/GetRecords on the table stream).',
    'Exit codes: 0 every message redelivered (or none waiting); 1 some kept (reasons printed) or AWS unreachable; 2 wrong usage.',
  ],
  examples: [
    'pipewright replay-failed --stage production',
    'pipewright replay-failed --stage dev --max 10 --json',
  ],
  options: {
    stage: { type: 'string' },
    region: { type: 'string' },
    app: { type: 'string' },
    max: { type: 'string' },
    json: { type: 'boolean' },
  },
  async run({ values, positionals }, io) {
    if (typeof values.stage !== 'string' || values.stage === '')
      throw new UsageError('name the deployed stage with --stage', this.usage);
    if (positionals.length > 0) throw new UsageError(`unexpected argument ${positionals[0]}`, this.usage);
    const max = positiveInteger(values.max, '--max');
    const region =
      typeof values.region === 'string' ? values.region : (io.env.AWS_REGION ?? io.env.AWS_DEFAULT_REGION);
    const where = { app: typeof values.app === 'string' ? values.app : APP, stage: values.stage };
    // Loaded here only: the AWS SDK is not needed by the other commands.
    const aws = await import('@pipewright/aws');
    const { SQSClient } = await import('@aws-sdk/client-sqs');
    const { LambdaClient } = await import('@aws-sdk/client-lambda');
    const { DynamoDBStreamsClient } = await import('@aws-sdk/client-dynamodb-streams');
    const config = region === undefined ? {} : { region };
    const clients = {
      sqs: new SQSClient(config),
      lambda: new LambdaClient(config),
      streams: new DynamoDBStreamsClient(config),
    };
    let report: Awaited<ReturnType<typeof aws.replayFailedDeliveries>>;
    try {
      const queueUrl = await aws.stageQueueUrl(clients.sqs, where);
      const { functions } = aws.stageDeliveries(where);
      report = await aws.replayFailedDeliveries({
        ...clients,
        queueUrl,
        functions,
        ...(max === undefined ? {} : { max }),
      });
    } catch (error) {
      throw new ReplayError(error instanceof Error ? error.message : String(error), { cause: error });
    } finally {
      for (const c of Object.values(clients)) c.destroy();
    }
    if (values.json) {
      io.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
      return report.kept === 0 ? EXIT.ok : EXIT.failed;
    }
    const c = palette(io.stdout, io.env);
    for (const o of report.outcomes) {
      const to = o.functionName === undefined ? '' : ` → ${o.functionName}`;
      io.stdout.write(
        o.replayed
          ? `${c.green('✓')} ${o.messageId} (${o.kind})${to}\n`
          : `${c.red('✗')} ${o.messageId} (${o.kind})${to}: ${o.reason}\n`,
      );
    }
    io.stdout.write(
      report.received === 0
        ? `nothing is waiting in ${aws.stageDeliveries(where).queueName}\n`
        : `${report.replayed} of ${report.received} redelivered${report.kept > 0 ? `; ${report.kept} kept in the queue (reasons above)` : ''}\n`,
    );
    return report.kept === 0 ? EXIT.ok : EXIT.failed;
  },
};
