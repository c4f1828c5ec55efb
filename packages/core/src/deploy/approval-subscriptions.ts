/**
 * Email subscriptions of a pipeline's SNS topic: one per address in
 * `pipeline.notifications[].emails`, however many targets name it.
 *
 * A pipeline's targets can want different events (approvers `approval.requested`, the team
 * `execution.failed`), while SNS sends a topic's message to every subscriber. So each
 * subscription carries a filter policy on the message attribute
 * {@link NOTIFICATION_TARGET_ATTRIBUTE}: the publisher sends one message per
 * `OutgoingNotification` (core's `notificationsFor`) with that attribute set to the
 * notification's `target` index, and only the addresses of that target receive it.
 */
import type { Pipeline } from '../model/pipeline.ts';

/** The SNS message attribute (String) naming the notification target a message is for. */
export const NOTIFICATION_TARGET_ATTRIBUTE = 'target';

/**
 * One email subscription.
 *
 * @example
 * ```ts
 * const s: ApprovalSubscription = { email: 'lead@example.com', targets: [0, 2], filterPolicy: { target: ['0', '2'] } };
 * ```
 */
export interface ApprovalSubscription {
  /** The address, as first written (trimmed). */
  email: string;
  /** Indexes into `pipeline.notifications` of the targets listing it. */
  targets: number[];
  /** SNS filter policy (message attributes): messages for those targets only. */
  filterPolicy: Record<typeof NOTIFICATION_TARGET_ATTRIBUTE, string[]>;
}

/**
 * The deduplicated email subscriptions of `pipeline` (addresses compared case-insensitively),
 * in the order they first appear.
 *
 * @example
 * ```ts
 * approvalSubscriptions({ ...pipeline, notifications: [{ emails: ['a@x.io', 'A@x.io'] }, { emails: ['b@x.io', 'a@x.io'] }] });
 * // [{ email: 'a@x.io', targets: [0, 1], filterPolicy: { target: ['0', '1'] } },
 * //  { email: 'b@x.io', targets: [1], filterPolicy: { target: ['1'] } }]
 * ```
 */
export function approvalSubscriptions(pipeline: Pipeline): ApprovalSubscription[] {
  const byAddress = new Map<string, { email: string; targets: number[] }>();
  (pipeline.notifications ?? []).forEach((target, index) => {
    for (const raw of target.emails ?? []) {
      const email = raw.trim();
      if (email === '') continue;
      const key = email.toLowerCase();
      const entry = byAddress.get(key) ?? { email, targets: [] };
      if (!entry.targets.includes(index)) entry.targets.push(index);
      byAddress.set(key, entry);
    }
  });
  return [...byAddress.values()].map((e) => ({
    ...e,
    filterPolicy: { [NOTIFICATION_TARGET_ATTRIBUTE]: e.targets.map(String) },
  }));
}
