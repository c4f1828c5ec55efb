/**
 * Test-only: the web harness with triggers — a real `TriggerDispatcher` over the harness's
 * runtime, for a definition of the test pipeline with a git push trigger on `main` and an
 * event-pattern trigger, and a webhook secret.
 *
 * @example
 * ```ts
 * const t = await openTriggerHarness();
 * const res = await t.webhook('push', pushPayload('refs/heads/main'), 'delivery-1');
 * ```
 */
import { type Pipeline, triggerStream } from '@pipewright/core';
import { TriggerDispatcher } from '@pipewright/local';
import type { Hono } from 'hono';
import type { WebDeps } from '../deps.ts';
import { openWebHarness, PIPELINE, type WebHarness } from '../web-harness.test-helper.ts';
import { signWebhook } from './webhook-signature.ts';

/** The webhook secret of the test pipeline. */
export const SECRET = 'webhook-secret-0123456789';

/** A trimmed GitHub push payload. */
export function pushPayload(ref: string): Record<string, unknown> {
  return {
    ref,
    after: '0d1a26e67d8f5eaf1f6ba5c57fc3c7d91ac0fd1c',
    repository: { full_name: 'acme/web' },
    head_commit: { id: '0d1a26e67d8f5eaf1f6ba5c57fc3c7d91ac0fd1c', message: 'Fix login' },
    commits: [{ added: [], modified: ['src/login.ts'], removed: [] }],
  };
}

/** The harness, its app with triggers, and helpers. */
export interface TriggerHarness {
  h: WebHarness;
  app: Hono;
  deps: WebDeps;
  /** The pipeline definition triggers are matched against. */
  pipeline: Pipeline;
  /** The dispatcher behind the app's triggers. */
  dispatcher: TriggerDispatcher;
  /** Deliveries that reached the dispatcher. */
  delivered: string[];
  /** Posts a signed GitHub delivery (`signature` overrides the header; `null` leaves it out). */
  webhook(
    event: string,
    payload: unknown,
    deliveryId: string,
    options?: { signature?: string | null; pipeline?: string; body?: string; contentType?: string },
  ): Promise<Response>;
  /** An authorized JSON POST to the app with triggers. */
  post(path: string, json: unknown): Promise<Response>;
  /** The TriggerReceived events of the test pipeline. */
  triggerEvents(): Promise<{ data: unknown }[]>;
  /** How many executions the test pipeline has. */
  executionCount(): Promise<number>;
}

/**
 * Opens a trigger harness (close with `closeWebHarnesses`).
 *
 * @example
 * ```ts
 * const t = await openTriggerHarness();
 * ```
 */
export async function openTriggerHarness(): Promise<TriggerHarness> {
  const h = await openWebHarness();
  const served = h.deps.pipelines.get(PIPELINE);
  if (served === undefined) throw new Error('the harness serves no pipeline');
  const pipeline: Pipeline = {
    ...served,
    triggers: [
      {
        providerType: 'CodeStarSourceConnection',
        gitConfiguration: { sourceActionName: 'Checkout', push: [{ branches: { includes: ['main'] } }] },
      },
      { providerType: 'EventPattern', eventPattern: { pattern: { source: ['acme.releases'] } } },
    ],
  };
  const delivered: string[] = [];
  const dispatcher = new TriggerDispatcher({
    store: h.runtime.store,
    pipelines: { get: (name) => (name === PIPELINE ? pipeline : undefined) },
    start: (r) =>
      h.runtime.engine.start({
        pipeline: r.pipeline,
        executionId: r.executionId,
        variables: r.variables,
        trigger: r.trigger,
        actor: r.actor,
      }),
  });
  const changes: Partial<WebDeps> = {
    triggers: {
      deliver: (name, delivery) => {
        delivered.push(delivery.triggerId);
        return dispatcher.deliver(name, delivery);
      },
      missedDeliveries: (name) => dispatcher.missedDeliveries(name),
    },
    webhookSecret: (name) => (name === PIPELINE ? SECRET : undefined),
  };
  const deps: WebDeps = { ...h.deps, ...changes };
  const app = h.appWith(changes);
  return {
    h,
    app,
    deps,
    pipeline,
    dispatcher,
    delivered,
    async webhook(event, payload, deliveryId, options = {}) {
      const body = options.body ?? JSON.stringify(payload);
      const signature = options.signature === undefined ? await signWebhook(SECRET, body) : options.signature;
      return app.request(`/webhooks/github/${options.pipeline ?? PIPELINE}`, {
        method: 'POST',
        headers: {
          'Content-Type': options.contentType ?? 'application/json',
          'X-GitHub-Event': event,
          'X-GitHub-Delivery': deliveryId,
          ...(signature === null ? {} : { 'X-Hub-Signature-256': signature }),
        },
        body,
      });
    },
    post: async (path, json) =>
      app.request(path, {
        method: 'POST',
        headers: { Authorization: `Bearer ${h.token}`, 'Content-Type': 'application/json' },
        body: JSON.stringify(json),
      }),
    async triggerEvents() {
      return (await h.runtime.store.read(triggerStream(PIPELINE))).filter(
        (e) => e.type === 'TriggerReceived',
      );
    },
    async executionCount() {
      return (await h.runtime.store.listExecutions(PIPELINE)).executions.length;
    },
  };
}
