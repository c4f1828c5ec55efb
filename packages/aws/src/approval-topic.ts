/**
 * A Manual approval's `NotificationArn`: CodePipeline publishes its approval JSON to that SNS
 * topic (teams hang Lambda functions, chat bots and ticket systems on it), besides the emails
 * Pipewright sends through its own topic. The message has CodePipeline's shape
 * (`region`, `consoleLink`, `approval: { pipelineName, stageName, actionName, token, expires,
 * externalEntityLink, approvalReviewLink, customData }`); `token` is the approval's id (what
 * Pipewright's API and `pipewright approve` take — never a Step Functions task token),
 * `approvalReviewLink` the signed approval page, `consoleLink` the pipeline's dashboard page.
 * The topic is the one the action was started with (its `#{…}` variables resolved).
 *
 * @example
 * ```ts
 * for (const p of approvalTopicPublications(history, batch, { region, publicUrl, pipeline })) await send(p);
 * ```
 */
import type { ApprovalRequested, EventRecord } from '@pipewright/core';

/**
 * One SNS publish of an approval's JSON.
 *
 * @example
 * ```ts
 * const p: ApprovalTopicPublication = { key: 'approval-topic:a-1', topicArn: 'arn:aws:sns:…:approvals', subject: '…', message: '{…}' };
 * ```
 */
export interface ApprovalTopicPublication {
  /** Claimed once (`DynamoOnce`) so a redelivered batch publishes nothing twice. */
  key: string;
  topicArn: string;
  subject: string;
  /** CodePipeline's approval JSON. */
  message: string;
}

/**
 * The publications the approvals requested in `batch` call for: one per approval whose action
 * was started with a `NotificationArn`.
 *
 * @example
 * ```ts
 * approvalTopicPublications(history, batch, { region: 'eu-west-1', publicUrl: 'https://pw.example.com', pipeline: 'web', reviewLink: (id, at) => sign(id, at) });
 * ```
 */
export async function approvalTopicPublications(
  history: readonly EventRecord[],
  batch: readonly EventRecord[],
  site: {
    region: string;
    publicUrl: string;
    pipeline: string;
    reviewLink(approvalId: string, expiresAt: string): string | Promise<string>;
  },
): Promise<ApprovalTopicPublication[]> {
  const out: ApprovalTopicPublication[] = [];
  const all = [...history, ...batch];
  for (const record of batch) {
    if (record.type !== 'ApprovalRequested') continue;
    const d = record.data as ApprovalRequested['data'];
    const started = all.findLast(
      (r) =>
        r.type === 'ActionStarted' &&
        (r.data as { stageName?: string }).stageName === d.stageName &&
        (r.data as { actionName?: string }).actionName === d.actionName &&
        r.seq < record.seq,
    );
    const config = (started?.data as { resolvedConfiguration?: Record<string, string> } | undefined)
      ?.resolvedConfiguration;
    const topicArn = config?.NotificationArn;
    if (topicArn === undefined || topicArn === '') continue;
    const base = site.publicUrl.replace(/\/+$/, '');
    const message = {
      region: site.region,
      consoleLink: `${base}/pipelines/${encodeURIComponent(site.pipeline)}`,
      approval: {
        pipelineName: site.pipeline,
        stageName: d.stageName,
        actionName: d.actionName,
        token: d.approvalId,
        expires: d.expiresAt.replace(/:\d\d(\.\d+)?Z$/, 'Z'),
        externalEntityLink: d.externalEntityLink ?? config?.ExternalEntityLink ?? '',
        approvalReviewLink: await site.reviewLink(d.approvalId, d.expiresAt),
        customData: d.customData ?? config?.CustomData ?? '',
      },
    };
    out.push({
      key: `approval-topic:${d.approvalId}`,
      topicArn,
      subject: `APPROVAL NEEDED: Pipewright ${site.pipeline} for action ${d.actionName}`.slice(0, 99),
      message: JSON.stringify(message),
    });
  }
  return out;
}

/**
 * The region of an SNS topic ARN (`arn:aws:sns:<region>:<account>:<topic>`), where it must be published.
 *
 * @example
 * ```ts
 * topicRegion('arn:aws:sns:us-east-1:123456789012:approvals'); // 'us-east-1'
 * ```
 */
export function topicRegion(topicArn: string): string | undefined {
  return /^arn:aws[\w-]*:sns:([a-z0-9-]+):/.exec(topicArn)?.[1];
}
