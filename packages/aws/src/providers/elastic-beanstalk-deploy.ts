/**
 * `Deploy/ElasticBeanstalk` as CodePipeline runs it: the input artifact — a zip in the
 * artifact bucket — becomes an application version (`CreateApplicationVersion`, labelled
 * after the action execution, so a start made again creates nothing twice), the environment
 * is updated to it (`UpdateEnvironment`), and `DescribeEnvironments` is polled until the
 * environment is `Ready` on that version with a health other than `Red`. Failures carry the
 * environment's error events since the update (`DescribeEvents`). A stop aborts the update
 * (`AbortEnvironmentUpdate`).
 *
 * @example
 * ```ts
 * const provider = awsElasticBeanstalkDeployProvider({ beanstalk });
 * await provider.run(run); // { status: 'InProgress', state: { versionLabel, since }, pollAfterSeconds: 20 }
 * ```
 */
import { createHash } from 'node:crypto';
import {
  AbortEnvironmentUpdateCommand,
  CreateApplicationVersionCommand,
  DescribeEnvironmentsCommand,
  DescribeEventsCommand,
  type ElasticBeanstalkClient,
  type EnvironmentDescription,
  UpdateEnvironmentCommand,
} from '@aws-sdk/client-elastic-beanstalk';
import type { ActionCancelRequest, ActionOutcome, ActionProvider, ActionRun } from '@pipewright/engine';
import { awsFailure } from './aws-failure.ts';
import { checkedConfiguration, configurationError, required } from './checked-configuration.ts';
import type { ClientSource } from './client-source.ts';
import { inProgress, longWaitProvider, type WaitState } from './long-wait.ts';

/** Seconds between looks at the environment. */
export const BEANSTALK_POLL_SECONDS = 20;

/**
 * Options of {@link awsElasticBeanstalkDeployProvider}.
 *
 * @example
 * ```ts
 * const options: ElasticBeanstalkOptions = { beanstalk: new ElasticBeanstalkClient({}) };
 * ```
 */
export interface ElasticBeanstalkOptions {
  beanstalk: ClientSource<ElasticBeanstalkClient>;
  /** The clock the update's start is read with, for its events (default `Date.now`). */
  now?: () => number;
}

/**
 * The Elastic Beanstalk deploy provider.
 *
 * @example
 * ```ts
 * awsElasticBeanstalkDeployProvider({ beanstalk }).provider; // 'ElasticBeanstalk'
 * ```
 */
export function awsElasticBeanstalkDeployProvider(options: ElasticBeanstalkOptions): ActionProvider {
  return longWaitProvider({
    categories: ['Deploy'],
    provider: 'ElasticBeanstalk',
    client: options.beanstalk,
    start: (run, beanstalk) => start(run, beanstalk, options.now ?? Date.now),
    poll,
    cancel: abortEnvironmentUpdate,
  });
}

/**
 * The application version label of an attempt.
 *
 * @example
 * ```ts
 * versionLabel('7f0c:Deploy:Legacy:0:1'); // 'pipewright-' + 24 hex digits
 * ```
 */
export function versionLabel(actionExecutionId: string): string {
  return `pipewright-${createHash('sha256').update(actionExecutionId).digest('hex').slice(0, 24)}`;
}

function targetOf(run: Pick<ActionRun, 'action'>): { ApplicationName: string; EnvironmentName: string } {
  const config = checkedConfiguration(run as ActionRun);
  return {
    ApplicationName: required(config, 'ApplicationName'),
    EnvironmentName: required(config, 'EnvironmentName'),
  };
}

async function start(
  run: ActionRun,
  beanstalk: ElasticBeanstalkClient,
  now: () => number,
): Promise<ActionOutcome> {
  const target = targetOf(run);
  const input = run.inputs[0];
  const match = /^s3:\/\/([^/]+)\/(.+)$/.exec(input?.artifact.uri ?? '');
  if (input === undefined || match === null) {
    return configurationError(
      `the ElasticBeanstalk action deploys its input artifact from S3; run it in AWS`,
    );
  }
  const label = versionLabel(run.actionExecutionId);
  const since = new Date(now()).toISOString();
  await beanstalk
    .send(
      new CreateApplicationVersionCommand({
        ApplicationName: target.ApplicationName,
        VersionLabel: label,
        Description: `Pipewright ${run.pipeline} ${run.actionExecutionId}`.slice(0, 200),
        SourceBundle: { S3Bucket: match[1], S3Key: match[2] },
      }),
      { abortSignal: run.signal },
    )
    .catch((error: unknown) => {
      if (error instanceof Error && /already exists/i.test(error.message)) return undefined;
      throw awsFailure(error, `creating application version ${label} of ${target.ApplicationName}`);
    });
  const environment = await describe(beanstalk, run, target);
  if (!(environment.VersionLabel === label && environment.Status === 'Updating')) {
    await beanstalk
      .send(new UpdateEnvironmentCommand({ ...target, VersionLabel: label }), { abortSignal: run.signal })
      .catch((error: unknown) => {
        throw awsFailure(error, `updating environment ${target.EnvironmentName}`);
      });
  }
  const summary = `environment ${target.EnvironmentName} is updating to ${label}`;
  run.log.write('system', `${summary}\n`);
  return inProgress({ versionLabel: label, since }, BEANSTALK_POLL_SECONDS, {
    summary,
    ...(environment.EnvironmentId === undefined ? {} : { externalExecutionId: environment.EnvironmentId }),
  });
}

async function poll(
  run: ActionRun,
  beanstalk: ElasticBeanstalkClient,
  state: WaitState,
): Promise<ActionOutcome> {
  const target = targetOf(run);
  const label = String(state.versionLabel);
  const environment = await describe(beanstalk, run, target);
  const where = `environment ${target.EnvironmentName}`;
  const { Status: status, Health: health } = environment;
  if (status === 'Ready' && environment.VersionLabel === label && health !== 'Red') {
    const summary = `${where} runs ${label} (health ${health ?? 'unknown'})`;
    run.log.write('system', `${summary}\n`);
    return {
      status: 'Succeeded',
      outputArtifacts: [],
      outputVariables: {},
      summary,
      ...(environment.EnvironmentId ? { externalExecutionId: environment.EnvironmentId } : {}),
    };
  }
  if (status === 'Ready' || status === 'Terminating' || status === 'Terminated' || health === 'Red') {
    const why =
      status !== 'Ready'
        ? `is ${status}`
        : health === 'Red'
          ? `is Ready but its health is Red`
          : `is Ready on version ${environment.VersionLabel ?? 'unknown'}, not ${label}: the update failed and was rolled back`;
    const message = `${where} ${why}${await errorEvents(beanstalk, run, target, String(state.since))}`;
    run.log.write('system', `${message}\n`);
    return { status: 'Failed', error: { type: 'JobFailed', message } };
  }
  return inProgress(state, BEANSTALK_POLL_SECONDS, {
    summary: `${where} is ${status ?? 'unknown'} (health ${health ?? 'unknown'})`,
  });
}

async function describe(
  beanstalk: ElasticBeanstalkClient,
  run: ActionRun,
  target: { ApplicationName: string; EnvironmentName: string },
): Promise<EnvironmentDescription> {
  const output = await beanstalk
    .send(
      new DescribeEnvironmentsCommand({
        ApplicationName: target.ApplicationName,
        EnvironmentNames: [target.EnvironmentName],
      }),
      {
        abortSignal: run.signal,
      },
    )
    .catch((error: unknown) => {
      throw awsFailure(error, `describing environment ${target.EnvironmentName}`);
    });
  const environment = output.Environments?.[0];
  if (environment === undefined) {
    return configurationError(
      `application ${target.ApplicationName} has no environment ${target.EnvironmentName}; check EnvironmentName`,
    );
  }
  return environment;
}

/** The environment's error events since the update began, as extra message lines. */
async function errorEvents(
  beanstalk: ElasticBeanstalkClient,
  run: ActionRun,
  target: { ApplicationName: string; EnvironmentName: string },
  since: string,
): Promise<string> {
  const output = await beanstalk
    .send(
      new DescribeEventsCommand({ ...target, StartTime: new Date(since), Severity: 'ERROR', MaxRecords: 5 }),
      {
        abortSignal: run.signal,
      },
    )
    .catch(() => undefined);
  const lines = (output?.Events ?? [])
    .map((e) => e.Message ?? '')
    .filter(Boolean)
    .slice(0, 3);
  return lines.length === 0 ? '' : `\n${lines.join('\n')}`;
}

/**
 * On a stop: aborts the environment's update.
 *
 * @example
 * ```ts
 * await abortEnvironmentUpdate(beanstalk, request); // AbortEnvironmentUpdate { EnvironmentName }
 * ```
 */
export async function abortEnvironmentUpdate(
  beanstalk: ElasticBeanstalkClient,
  request: ActionCancelRequest,
): Promise<void> {
  const { EnvironmentName } = targetOf(request);
  await beanstalk.send(new AbortEnvironmentUpdateCommand({ EnvironmentName }), {
    abortSignal: AbortSignal.timeout(60_000),
  });
}
