/**
 * Webhook notifications: POSTs a `webhook` message's Slack-compatible JSON body to its URL
 * with `fetch`, giving up after a timeout (5 s by default). A failure (network error, timeout,
 * non-2xx answer) is reported to `onError`, never thrown: a chat outage must not fail a
 * pipeline. Other channels are ignored.
 *
 * @example
 * ```ts
 * const webhook = new WebhookNotifier({ onError: (e) => console.warn(e.message) });
 * await webhook.send(message);
 * ```
 */
import type { OutgoingNotification } from '@pipewright/core';
import type { Notifier } from '@pipewright/engine';
import { NotificationDeliveryError } from './errors.ts';

/** Options of {@link WebhookNotifier}. */
export interface WebhookNotifierOptions {
  /** How long one POST may take, in milliseconds (default 5,000). */
  timeoutMs?: number;
  /** Told about each failed delivery (default: a line on stderr). */
  onError?: (error: NotificationDeliveryError) => void;
}

/**
 * POSTs notifications to webhooks.
 *
 * @example
 * ```ts
 * const webhook = new WebhookNotifier({ timeoutMs: 2_000 });
 * ```
 */
export class WebhookNotifier implements Notifier {
  readonly #timeoutMs: number;
  readonly #onError: (error: NotificationDeliveryError) => void;

  constructor(options: WebhookNotifierOptions = {}) {
    this.#timeoutMs = options.timeoutMs ?? 5_000;
    this.#onError =
      options.onError ?? ((error) => process.stderr.write(`pipewright: warning: ${error.message}\n`));
  }

  /** POSTs a `webhook` message's body; resolves whatever happens (failures go to `onError`). */
  async send(message: OutgoingNotification): Promise<void> {
    if (message.channel !== 'webhook') return;
    const what = `${message.event} of ${message.pipeline} (${message.executionId})`;
    let host = message.url;
    try {
      host = new URL(message.url).host;
      const response = await fetch(message.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'pipewright',
          'x-pipewright-notification': message.id,
          'x-pipewright-event': message.event,
        },
        body: JSON.stringify(message.body),
        signal: AbortSignal.timeout(this.#timeoutMs),
      });
      await response.body?.cancel();
      if (!response.ok) {
        this.#onError(
          new NotificationDeliveryError(
            `the webhook at ${host} answered ${response.status} ${response.statusText} to ${what}; check the webhookUrl of the pipeline's notifications`,
          ),
        );
      }
    } catch (cause) {
      const timedOut = (cause as Error).name === 'TimeoutError';
      this.#onError(
        new NotificationDeliveryError(
          timedOut
            ? `the webhook at ${host} did not answer ${what} within ${this.#timeoutMs} ms; check that it is up`
            : `could not POST ${what} to the webhook at ${host}: ${(cause as Error).message}; check the webhookUrl of the pipeline's notifications`,
          { cause },
        ),
      );
    }
  }
}
