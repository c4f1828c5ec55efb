/**
 * The HTTP function's app: the same Hono app `pipewright serve` serves (API, approval pages,
 * GitHub webhooks), built over the AWS parts. Webhooks are checked here (signature, shape) and
 * then put on the bus as trigger deliveries; the trigger function records and starts them, so a
 * webhook answers fast and a redelivery is one trigger.
 *
 * @example
 * ```ts
 * const app = awsWebApp({ runtime, logs, approvalKey, apiToken, relay });
 * export const handler = handle(app);
 * ```
 */
import type { TriggerDelivery, TriggerResult } from '@pipewright/core';
import { FUNCTION_SETTINGS } from '@pipewright/core/deploy';
import type { ActionLogStore, ActionProvider } from '@pipewright/engine';
import { createApp, type UserDirectory } from '@pipewright/web';
import type { Hono } from 'hono';
import type { FunctionRuntime } from './function-runtime.ts';

/** What the HTTP function's app is built from. @example `{ runtime, logs, approvalKey, apiToken, relay: (p, d) => putOnBus(p, d) }` */
export interface AwsWebAppOptions {
  runtime: FunctionRuntime;
  logs: ActionLogStore;
  approvalKey: Uint8Array;
  apiToken: string;
  /** The deployment's users (roles, token hashes, approval rules, OpenID Connect); absent: the API token alone. */
  users?: UserDirectory;
  /** The GitHub webhook secret (one per deployment); absent: webhooks answer 404. */
  webhookSecret?: string;
  /** Puts a checked delivery on the bus for the trigger function. */
  relay(pipeline: string, delivery: TriggerDelivery): Promise<void>;
  onError?: (error: unknown) => void;
  /**
   * How long a live dashboard stream lasts (seconds; default 25, 5 s below the function's
   * 30 s timeout): it ends cleanly and the browser reconnects, instead of being cut.
   */
  liveMaxSeconds?: number;
  /** Providers whose `cancel` a stop calls (`awsStopProviders`): what abandoned actions started is stopped too. */
  providers?: readonly ActionProvider[];
}

/** The default of {@link AwsWebAppOptions.liveMaxSeconds}: 5 s below the HTTP function's timeout. */
const LIVE_MAX_SECONDS = FUNCTION_SETTINGS.http.timeoutSeconds - 5;

/**
 * Builds the app.
 *
 * @example
 * ```ts
 * const app = awsWebApp(options);
 * await app.request('/healthz'); // 200
 * ```
 */
export function awsWebApp(options: AwsWebAppOptions): Hono {
  const { runtime } = options;
  const engine = runtime.engine({
    logs: options.logs,
    ...(options.providers === undefined ? {} : { providers: options.providers }),
  });
  return createApp({
    store: runtime.store,
    logs: options.logs,
    pipelines: { names: () => runtime.pipelines.names(), get: (name) => runtime.pipelines.get(name) },
    approvalKey: options.approvalKey,
    apiToken: options.apiToken,
    ...(options.users === undefined ? {} : { users: options.users }),
    // No change feed here: live views are re-read on an interval, and each stream ends before the timeout.
    liveMaxSeconds: options.liveMaxSeconds ?? LIVE_MAX_SECONDS,
    control: {
      start: (req) => engine.start(req),
      stop: (executionId, input) => engine.stop(executionId, input),
      settle: (executionId) => engine.settleReport(executionId),
      retryStage: (executionId, input) => engine.retryStage(executionId, input),
      disableTransition: (pipeline, input) => engine.disableTransition(pipeline, input),
      enableTransition: (pipeline, input) => engine.enableTransition(pipeline, input),
      rollbackStage: (pipeline, input) => engine.rollbackStage(pipeline, input),
    },
    triggers: {
      async deliver(pipeline: string, delivery: TriggerDelivery): Promise<TriggerResult> {
        await options.relay(pipeline, delivery);
        return {
          triggerId: delivery.triggerId,
          matched: false,
          reason: 'accepted: the trigger function records the delivery and starts the execution it matches',
        };
      },
    },
    ...(options.webhookSecret === undefined
      ? {}
      : {
          webhookSecret: (pipeline: string) =>
            runtime.pipelines.get(pipeline) ? options.webhookSecret : undefined,
        }),
    ...(options.onError === undefined ? {} : { onError: options.onError }),
  });
}
