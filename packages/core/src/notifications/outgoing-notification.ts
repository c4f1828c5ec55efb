/**
 * The messages notifications send: what happened (a state change or an approval request) and
 * the message each channel gets — an email (subject and text) or a Slack-compatible webhook
 * body (`{ text, blocks }`). Plain data; the `Notifier` port's adapters deliver them.
 *
 * @example
 * ```ts
 * const message: OutgoingNotification = {
 *   channel: 'webhook', id: '7f0c::pipeline:FAILED:0:webhook', event: 'execution.failed',
 *   pipeline: 'web', executionId: '7f0c', url: 'https://hooks.example.com/x', body: { text: 'web: execution failed' },
 * };
 * ```
 */
import type { NotificationEventName } from './notification-events.ts';
import type { StateChange } from './state-change-events.ts';

/**
 * An approval waiting for a decision, with its signed review link (made by the caller: core
 * holds no key).
 *
 * @example
 * ```ts
 * const notice: ApprovalNotice = { kind: 'approval-requested', pipeline: 'web', executionId: '7f0c', approvalId: 'ap-1',
 *   stageName: 'Approve', actionName: 'Release', expiresAt: '2026-01-12T10:00:00.000Z', reviewLink: 'http://127.0.0.1:4000/approvals/…' };
 * ```
 */
export interface ApprovalNotice {
  kind: 'approval-requested';
  pipeline: string;
  executionId: string;
  approvalId: string;
  stageName: string;
  actionName: string;
  expiresAt: string;
  /** The action's `CustomData`. */
  customData?: string;
  /** The action's `ExternalEntityLink`. */
  externalEntityLink?: string;
  /** The signed, single-use review link. Email only: a link in a shared channel would let anyone there decide. */
  reviewLink: string;
}

/** What a notification is about. @example `notificationsFor(pipeline, [change, notice])` */
export type NotificationSubject = StateChange | ApprovalNotice;

/** A Slack Block Kit block of the kinds notifications use. @example `{ type: 'section', text: { type: 'mrkdwn', text: '*web* failed' } }` */
export type SlackBlock =
  | { type: 'section'; text: { type: 'mrkdwn'; text: string }; fields?: { type: 'mrkdwn'; text: string }[] }
  | { type: 'context'; elements: { type: 'mrkdwn'; text: string }[] };

/**
 * A Slack-compatible incoming-webhook body: `text` alone is enough for Slack, Mattermost,
 * Rocket.Chat and plain JSON receivers; `blocks` lay it out in Slack.
 *
 * @example
 * ```ts
 * const body: SlackMessage = { text: ':x: *web* execution failed' };
 * ```
 */
export interface SlackMessage {
  text: string;
  blocks?: SlackBlock[];
}

interface NotificationBase {
  /** Deterministic: the same subject and target give the same id (receivers can drop duplicates). */
  id: string;
  event: NotificationEventName;
  pipeline: string;
  executionId: string;
  /** Index of the target in the pipeline's `notifications`. */
  target: number;
}

/** An email to send. @example `{ channel: 'email', to: ['ops@example.com'], subject: '[Pipewright] web: execution failed', text: '…', … }` */
export interface EmailNotification extends NotificationBase {
  channel: 'email';
  to: string[];
  subject: string;
  text: string;
}

/** A JSON body to POST to a webhook. @example `{ channel: 'webhook', url: 'https://hooks.slack.com/services/…', body: { text }, … }` */
export interface WebhookNotification extends NotificationBase {
  channel: 'webhook';
  url: string;
  body: SlackMessage;
}

/** A message for one channel of one target. @example `if (m.channel === 'email') m.to` */
export type OutgoingNotification = EmailNotification | WebhookNotification;
