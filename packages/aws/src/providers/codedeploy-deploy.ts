/**
 * `Deploy/CodeDeploy` (EC2/on-premises and Lambda compute platforms): the input artifact —
 * already a zip in the artifact bucket, with its `appspec.yml` — is the revision
 * (`revisionType: S3`, `bundleType: zip`), deployed to `DeploymentGroupName` of
 * `ApplicationName` and polled until it ends, up to CodePipeline's 5 days.
 *
 * @example
 * ```ts
 * const provider = awsCodeDeployProvider({ codedeploy });
 * await provider.run(run); // { status: 'InProgress', state: { deploymentId: 'd-ABC123' }, pollAfterSeconds: 15 }
 * ```
 */
import type { CodeDeployClient } from '@aws-sdk/client-codedeploy';
import type { ActionOutcome, ActionProvider, ActionRun } from '@pipewright/engine';
import { configurationError } from './checked-configuration.ts';
import { type ClientSource, clientOf } from './client-source.ts';
import { pollDeployment, startDeployment, stopDeployment } from './codedeploy-deployment.ts';
import { longWait } from './long-wait.ts';

/**
 * Options of {@link awsCodeDeployProvider}.
 *
 * @example
 * ```ts
 * const options: CodeDeployOptions = { codedeploy: new CodeDeployClient({}) };
 * ```
 */
export interface CodeDeployOptions {
  codedeploy: ClientSource<CodeDeployClient>;
}

/**
 * The CodeDeploy provider.
 *
 * @example
 * ```ts
 * awsCodeDeployProvider({ codedeploy }).provider; // 'CodeDeploy'
 * ```
 */
export function awsCodeDeployProvider(options: CodeDeployOptions): ActionProvider {
  return {
    categories: ['Deploy'],
    provider: 'CodeDeploy',
    run: (run) =>
      longWait(run, {
        start: async () => start(run, await clientOf(options.codedeploy, run)),
        poll: async (state) => pollDeployment(await clientOf(options.codedeploy, run), run, state),
      }),
    cancel: async (request) => stopDeployment(await clientOf(options.codedeploy, request), request),
  };
}

async function start(run: ActionRun, codedeploy: CodeDeployClient): Promise<ActionOutcome> {
  const input = run.inputs[0];
  const match = /^s3:\/\/([^/]+)\/(.+)$/.exec(input?.artifact.uri ?? '');
  if (input === undefined || match === null) {
    return configurationError(
      `the CodeDeploy action deploys its input artifact from S3, but ${input === undefined ? 'it has none' : `${input.name} is stored at ${input.artifact.uri}`}; run it in AWS`,
    );
  }
  return startDeployment(codedeploy, run, {
    revisionType: 'S3',
    s3Location: { bucket: match[1], key: match[2], bundleType: 'zip' },
  });
}
