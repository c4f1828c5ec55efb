/**
 * Email notifications through Amazon SNS: each `email` message is published to its pipeline's
 * topic, whose email subscriptions receive it. The message's `to` addresses are not used: who
 * gets mail is decided by the topic's (confirmed) subscriptions, which deployment creates from
 * the pipeline's notification targets. `webhook` messages are left to the webhook notifier.
 *
 * Idempotence: SNS standard topics do not deduplicate, so a message published twice is mailed
 * twice. Each notifier keeps the ids it has sent (the notification `id` is deterministic), so a
 * duplicate delivery handled by the same Lambda container sends once; a FIFO topic (`.fifo`)
 * also gets the id as `MessageDeduplicationId` (SNS drops repeats for five minutes).
 *
 * @example
 * ```ts
 * const email = new SnsNotifier({ client: new SNSClient({}), topicArnFor: (pipeline) => topics[pipeline] });
 * for (const m of notificationsFor(pipeline, changes)) await email.send(m);
 * ```
 */
import { createHash } from 'node:crypto';
import { PublishCommand, type PublishCommandInput, type SNSClient } from '@aws-sdk/client-sns';
import type { EmailNotification, OutgoingNotification } from '@pipewright/core';
import { NOTIFICATION_TARGET_ATTRIBUTE } from '@pipewright/core/deploy';
import type { Notifier } from '@pipewright/engine';
import { AwsAdapterError } from './errors.ts';
import { isRetryableSdkError, sdkErrorName, sdkErrorSummary } from './sdk-error.ts';

/** Options of {@link SnsNotifier}. @example `{ client: new SNSClient({}), topicArnFor: (pipeline) => topics.get(pipeline) }` */
export interface SnsNotifierOptions {
  client: SNSClient;
  /** The ARN of the topic a pipeline's emails go to; `undefined` when it has none. */
  topicArnFor: (pipeline: string) => string | undefined;
}

/** SNS's limit on `Subject` for email endpoints. @example `snsSubject(s).length <= MAX_SNS_SUBJECT_CHARS` */
export const MAX_SNS_SUBJECT_CHARS = 100;
/** SNS's limit on a whole message (256 KiB); the text is cut a little below it. */
const MAX_SNS_MESSAGE_BYTES = 256 * 1024 - 1024;
/** How many sent ids a notifier remembers (the oldest are forgotten first). */
const REMEMBERED_IDS = 10_000;
const FALLBACK_SUBJECT = 'Pipewright notification';

/**
 * {@link Notifier} for `email` messages over SNS: one Publish per message, with the subject
 * made safe for SNS (see {@link snsSubject}) and the text as the message.
 *
 * @example
 * ```ts
 * await new SnsNotifier({ client, topicArnFor: () => 'arn:aws:sns:eu-west-1:123456789012:pipewright-web' }).send(message);
 * ```
 */
export class SnsNotifier implements Notifier {
  readonly #client: SNSClient;
  readonly #topicArnFor: (pipeline: string) => string | undefined;
  /** Ids sent, or being sent (a concurrent duplicate waits for the first). */
  readonly #sent = new Map<string, Promise<void>>();

  constructor(options: SnsNotifierOptions) {
    this.#client = options.client;
    this.#topicArnFor = options.topicArnFor;
  }

  /** Publishes an `email` message once per id; ignores other channels. Rejects with `AwsAdapterError`. */
  async send(message: OutgoingNotification): Promise<void> {
    if (message.channel !== 'email') return;
    const known = this.#sent.get(message.id);
    if (known !== undefined) return known;
    const sending = this.#publish(message);
    this.#sent.set(message.id, sending);
    try {
      await sending;
    } catch (error) {
      this.#sent.delete(message.id); // not sent: a retry may send it
      throw error;
    }
    if (this.#sent.size > REMEMBERED_IDS) {
      const oldest = this.#sent.keys().next().value;
      if (oldest !== undefined) this.#sent.delete(oldest);
    }
  }

  async #publish(message: EmailNotification): Promise<void> {
    const topicArn = this.#topicArnFor(message.pipeline);
    if (topicArn === undefined || topicArn === '') {
      throw new AwsAdapterError(
        'PW6301',
        `pipeline ${message.pipeline} has email notification targets but no SNS topic, so its ${message.event} email was not sent; deploy the pipeline again so its notification topic is created, or map it in topicArnFor`,
      );
    }
    const input: PublishCommandInput = {
      TopicArn: topicArn,
      Subject: snsSubject(message.subject),
      Message: truncateUtf8(message.text, MAX_SNS_MESSAGE_BYTES),
      // Each email subscription filters on the target it belongs to (core's approvalSubscriptions).
      MessageAttributes: {
        [NOTIFICATION_TARGET_ATTRIBUTE]: { DataType: 'String', StringValue: String(message.target) },
      },
    };
    if (topicArn.endsWith('.fifo')) {
      input.MessageGroupId = fifoToken(message.pipeline);
      input.MessageDeduplicationId = fifoToken(message.id);
    }
    try {
      await this.#client.send(new PublishCommand(input));
    } catch (cause) {
      const retryable = isRetryableSdkError(cause);
      const name = sdkErrorName(cause);
      const what =
        name === 'NotFoundException' || name === 'NotFound'
          ? `topic ${topicArn} does not exist; deploy the pipeline again or fix topicArnFor`
          : name === 'AuthorizationErrorException' || name.startsWith('KMS')
            ? `grant sns:Publish on ${topicArn} (and kms:GenerateDataKey/kms:Decrypt on its key if it is encrypted)`
            : retryable
              ? 'SNS is throttling or unavailable; try again later'
              : 'check the topic and the caller’s permissions';
      throw new AwsAdapterError(
        'PW6302',
        `could not publish the ${message.event} email of ${message.pipeline} (${message.executionId}) to ${topicArn} (${sdkErrorSummary(cause)}); ${what}`,
        { retryable, cause },
      );
    }
  }
}

/**
 * A subject SNS accepts for email: printable ASCII only (accents dropped, typographic quotes and
 * dashes replaced, anything else `?`), no line breaks (runs of whitespace become one space), at
 * most 100 characters (cut with `...`), never empty.
 *
 * @example
 * ```ts
 * snsSubject('[Pipewright] déploiement “web”\nfailed'); // '[Pipewright] deploiement "web" failed'
 * ```
 */
export function snsSubject(subject: string): string {
  const ascii = subject
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .replace(/[\u2018\u2019\u201a\u201b\u2032]/g, "'")
    .replace(/[\u201c\u201d\u201e\u201f\u2033]/g, '"')
    .replace(/[\u2010-\u2015\u2212]/g, '-')
    .replace(/\s+/gu, ' ')
    .replace(/[^\x20-\x7e]/gu, '?')
    .trim();
  if (ascii === '') return FALLBACK_SUBJECT;
  return ascii.length <= MAX_SNS_SUBJECT_CHARS
    ? ascii
    : `${ascii.slice(0, MAX_SNS_SUBJECT_CHARS - 3).trimEnd()}...`;
}

/** Cuts text to at most `maxBytes` UTF-8 bytes, on a character boundary, saying so. */
function truncateUtf8(text: string, maxBytes: number): string {
  if (Buffer.byteLength(text) <= maxBytes) return text;
  const note = '\n[message truncated]';
  const bytes = Buffer.from(text).subarray(0, maxBytes - Buffer.byteLength(note));
  return `${new TextDecoder('utf-8').decode(bytes).replace(/\uFFFD$/, '')}${note}`;
}

/** A FIFO group or deduplication id: the value when SNS accepts it (1–128 printable ASCII), else its sha256. */
function fifoToken(value: string): string {
  return /^[\x21-\x7e]{1,128}$/.test(value) ? value : createHash('sha256').update(value).digest('hex');
}
