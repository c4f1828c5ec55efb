/**
 * The AWS opt-in of a local run. A pipeline whose actions only run in AWS (ECR and S3 sources,
 * CloudFormation, ECS, …) runs from this machine against the real account only when
 * `pipewright.local.yaml` says so (`aws: { profile, region }`); otherwise `run` refuses
 * before any action starts, naming those actions and the setting. With the opt-in, the AWS
 * providers (`@pipewright/aws`, loaded only then) carry them out; an AWS-only action none of
 * them carries out from a laptop yet is refused the same way.
 *
 * @example
 * ```ts
 * const providers = await awsOptIn(pipeline, settings, 'examples/app/pipewright.local.yaml');
 * await openLocalRuntime({ providers: [...providers, ...createLocalProviders()] });
 * ```
 */
import type { Pipeline } from '@pipewright/core';
import type { ActionProvider } from '@pipewright/engine';
import type { AwsSettings } from '@pipewright/local';
import { type AwsOnlyAction, awsOnlyActions } from '@pipewright/providers';
import { CliError, EXIT } from '../errors.ts';

/**
 * `run` will not start: actions need AWS and the opt-in is missing, or they cannot run from
 * this machine. Exit 1; the message names the actions and what to do.
 *
 * @example
 * ```ts
 * throw new AwsOptInError('stage "Deploy" action "Api" (Deploy/ECS) runs only in AWS; …');
 * ```
 */
export class AwsOptInError extends CliError {
  override readonly name = 'AwsOptInError';
  constructor(message: string) {
    super('PW4010', message, EXIT.failed);
  }
}

/**
 * The AWS providers this run needs: none when no action needs AWS; the AWS providers when the
 * settings opt in. Throws {@link AwsOptInError} otherwise.
 *
 * @example
 * ```ts
 * await awsOptIn(pipelineWithoutAwsActions, {}, undefined); // []
 * ```
 */
export async function awsOptIn(
  pipeline: Pipeline,
  aws: AwsSettings | undefined,
  settingsFile: string,
): Promise<ActionProvider[]> {
  const needed = awsOnlyActions(pipeline);
  if (needed.length === 0) return [];
  if (aws === undefined) {
    throw new AwsOptInError(
      [
        `pipeline ${pipeline.name} has actions that run only in AWS, so nothing was started:`,
        ...needed.map(describe),
        `To run them from this machine against your AWS account, opt in in ${settingsFile}:`,
        '  aws:',
        '    profile: <profile>    # optional; default: the AWS SDK default credential chain',
        '    region: <region>      # optional; default: the profile’s region or AWS_REGION',
        'or deploy the pipeline with sst deploy and run it there.',
      ].join('\n'),
    );
  }
  const { localAwsProviders } = await import('@pipewright/aws');
  const providers = localAwsProviders({
    ...(aws.profile === undefined ? {} : { profile: aws.profile }),
    ...(aws.region === undefined ? {} : { region: aws.region }),
  });
  const missing = needed.filter(
    (a) => !providers.some((p) => p.categories.some((c) => `${c}/${p.provider}` === a.provider)),
  );
  if (missing.length > 0) {
    throw new AwsOptInError(
      [
        `pipeline ${pipeline.name} has AWS actions that Pipewright cannot run from this machine yet, so nothing was started:`,
        ...missing.map(describe),
        'Deploy the pipeline with sst deploy and run it there, or replace these actions for local runs.',
      ].join('\n'),
    );
  }
  return providers;
}

function describe(a: AwsOnlyAction): string {
  return `  - stage "${a.stage}" action "${a.action}" (${a.provider}: needs ${a.needs})`;
}
