/**
 * The AWS providers as a function that stops executions needs them (the HTTP function, where
 * an operator's stop arrives): only their `cancel` — stop what an abandoned action started —
 * with clients made when first needed. Their `run` fails: actions run in the action runner.
 *
 * @example
 * ```ts
 * const engine = runtime.engine({ logs, providers: awsStopProviders({ cloudformation: async () => new CloudFormationClient({}), … }) });
 * ```
 */
import type { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import type { CodeDeployClient } from '@aws-sdk/client-codedeploy';
import type { ElasticBeanstalkClient } from '@aws-sdk/client-elastic-beanstalk';
import type { SFNClient } from '@aws-sdk/client-sfn';
import type { ActionCategory } from '@pipewright/core';
import type { ActionCancelRequest, ActionProvider } from '@pipewright/engine';
import { failed } from '@pipewright/providers';
import { type ClientSource, clientOf } from './client-source.ts';
import { cancelStackUpdate } from './cloudformation-stack.ts';
import { stopDeployment } from './codedeploy-deployment.ts';
import { abortEnvironmentUpdate } from './elastic-beanstalk-deploy.ts';
import { stopStepFunctionsExecution } from './step-functions-invoke.ts';

/** The clients the stops use. @example `{ sfn, cloudformation: async () => new CloudFormationClient({}) }` */
export interface StopClients {
  cloudformation: ClientSource<CloudFormationClient>;
  codedeploy: ClientSource<CodeDeployClient>;
  beanstalk: ClientSource<ElasticBeanstalkClient>;
  sfn: ClientSource<SFNClient>;
}

function stopOnly(
  category: ActionCategory,
  provider: string,
  cancel: (request: ActionCancelRequest) => Promise<void>,
): ActionProvider {
  return {
    categories: [category],
    provider,
    async run(run) {
      return failed(
        'SystemUnavailable',
        `${category}/${provider} action "${run.action.name}" runs in the action runner, not here`,
      );
    },
    cancel,
  };
}

/**
 * The providers whose actions a stop cleans up (ECS has nothing to stop: its circuit breaker decides).
 *
 * @example
 * ```ts
 * awsStopProviders(clients).map((p) => p.provider); // ['CloudFormation', 'CodeDeploy', 'CodeDeployToECS', 'ElasticBeanstalk', 'StepFunctions']
 * ```
 */
export function awsStopProviders(clients: StopClients): ActionProvider[] {
  const codedeploy = async (request: ActionCancelRequest) =>
    stopDeployment(await clientOf(clients.codedeploy, request), request);
  return [
    stopOnly('Deploy', 'CloudFormation', async (request) =>
      cancelStackUpdate(await clientOf(clients.cloudformation, request), request),
    ),
    stopOnly('Deploy', 'CodeDeploy', codedeploy),
    stopOnly('Deploy', 'CodeDeployToECS', codedeploy),
    stopOnly('Deploy', 'ElasticBeanstalk', async (request) =>
      abortEnvironmentUpdate(await clientOf(clients.beanstalk, request), request),
    ),
    stopOnly('Invoke', 'StepFunctions', async (request) =>
      stopStepFunctionsExecution(await clientOf(clients.sfn, request), request),
    ),
  ];
}
