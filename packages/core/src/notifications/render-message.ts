/**
 * The words of notifications: an email (subject and plain text) and a Slack-compatible body
 * for a state change or an approval request. Pure functions of the subject.
 *
 * @example
 * ```ts
 * emailMessage(change).subject; // '[Pipewright] web: execution failed'
 * slackMessage(change).text; // ':x: *web* execution failed: in stage Build: npm test exited with 1'
 * ```
 */
import type {
  ApprovalNotice,
  NotificationSubject,
  SlackBlock,
  SlackMessage,
} from './outgoing-notification.ts';
import { STATE_CHANGE_DETAIL_TYPES, type StateChange } from './state-change-events.ts';

const EMOJI: Record<string, string> = {
  STARTED: ':arrow_forward:',
  SUCCEEDED: ':white_check_mark:',
  FAILED: ':x:',
  STOPPING: ':octagonal_sign:',
  STOPPED: ':octagonal_sign:',
  SUPERSEDED: ':fast_forward:',
  RESUMED: ':repeat:',
  CANCELED: ':no_entry_sign:',
  ABANDONED: ':wastebasket:',
};

/** Slack's mrkdwn needs `&`, `<` and `>` escaped. */
function esc(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}

/** `execution`, `stage Build` or `action Build/Test`. */
function what(change: StateChange): string {
  const e = change.event;
  if (e['detail-type'] === STATE_CHANGE_DETAIL_TYPES.action)
    return `action ${e.detail.stage}/${e.detail.action}`;
  if (e['detail-type'] === STATE_CHANGE_DETAIL_TYPES.stage) return `stage ${e.detail.stage}`;
  return 'execution';
}

function lines(rows: [string, string | number | undefined][]): string {
  return rows
    .filter((r): r is [string, string | number] => r[1] !== undefined && r[1] !== '')
    .map(([k, v]) => `${`${k}:`.padEnd(11)} ${v}`)
    .join('\n');
}

function isApproval(subject: NotificationSubject): subject is ApprovalNotice {
  return 'kind' in subject && subject.kind === 'approval-requested';
}

/**
 * The email for a subject. Approval emails carry the signed review link, the custom data,
 * the external link and the expiry.
 *
 * @example
 * ```ts
 * const { subject, text } = emailMessage(notice);
 * subject; // '[Pipewright] web: approval needed for Approve/Release'
 * ```
 */
export function emailMessage(subject: NotificationSubject): { subject: string; text: string } {
  if (isApproval(subject)) {
    const n = subject;
    return {
      subject: `[Pipewright] ${n.pipeline}: approval needed for ${n.stageName}/${n.actionName}`,
      text: [
        `The pipeline ${n.pipeline} waits for your approval at ${n.stageName}/${n.actionName}.`,
        '',
        'Review it, then approve or reject:',
        n.reviewLink,
        '',
        lines([
          ['Pipeline', n.pipeline],
          ['Execution', n.executionId],
          ['Stage', n.stageName],
          ['Action', n.actionName],
          ['Details', n.customData],
          ['Link', n.externalEntityLink],
          ['Expires', n.expiresAt],
        ]),
        '',
        `The link works once and expires at ${n.expiresAt}. Opening it changes nothing: you decide on the page.`,
        '',
      ].join('\n'),
    };
  }
  const e = subject.event;
  const d = e.detail;
  const state = d.state.toLowerCase();
  const action = e['detail-type'] === STATE_CHANGE_DETAIL_TYPES.action ? e.detail : undefined;
  const stage = e['detail-type'] === STATE_CHANGE_DETAIL_TYPES.pipeline ? undefined : e.detail.stage;
  const trigger = d['execution-trigger'];
  return {
    subject: `[Pipewright] ${d.pipeline}: ${what(subject)} ${state}`,
    text: [
      `${d.pipeline}: ${what(subject)} ${state}${subject.reason === undefined ? '' : `: ${subject.reason}`}`,
      '',
      lines([
        ['Pipeline', `${d.pipeline} (version ${d.version})`],
        ['Execution', d['execution-id']],
        ['Stage', stage],
        ['Action', action?.action],
        ['State', d.state],
        ['Reason', subject.reason],
        ['Error code', action?.['execution-result']?.['error-code']],
        ['Details', action?.['execution-result']?.['external-execution-url']],
        [
          'Trigger',
          trigger === undefined
            ? undefined
            : `${trigger['trigger-type']}${trigger['trigger-detail'] === undefined ? '' : ` (${trigger['trigger-detail']})`}`,
        ],
        ['Started', d['start-time']],
        ['At', e.time],
      ]),
      '',
    ].join('\n'),
  };
}

/**
 * The Slack-compatible webhook body for a subject. Approval messages say who waits and until
 * when, but never carry the signed link (anyone in the channel could use it): approvers get
 * it by email, operators decide with `pipewright approve` or the API.
 *
 * @example
 * ```ts
 * slackMessage(notice).text; // ':raised_hand: *web* waits for approval at Approve/Release (expires 2026-01-12T10:00:00.000Z)'
 * ```
 */
export function slackMessage(subject: NotificationSubject): SlackMessage {
  if (isApproval(subject)) {
    const n = subject;
    const text = `:raised_hand: *${esc(n.pipeline)}* waits for approval at ${esc(n.stageName)}/${esc(n.actionName)} (expires ${esc(n.expiresAt)})`;
    const blocks: SlackBlock[] = [{ type: 'section', text: { type: 'mrkdwn', text } }];
    const fields = [
      ...(n.customData === undefined ? [] : [`*Details*\n${esc(n.customData)}`]),
      ...(n.externalEntityLink === undefined ? [] : [`*Link*\n<${esc(n.externalEntityLink)}>`]),
    ];
    if (fields.length > 0) {
      blocks.push({
        type: 'section',
        text: { type: 'mrkdwn', text: 'Approvers got the review link by email.' },
        fields: fields.map((f) => ({ type: 'mrkdwn', text: f })),
      });
    }
    blocks.push(context(n.executionId, undefined));
    return { text, blocks };
  }
  const e = subject.event;
  const d = e.detail;
  const reason = subject.reason === undefined ? '' : `: ${esc(subject.reason)}`;
  const text =
    `${EMOJI[d.state] ?? ''} *${esc(d.pipeline)}* ${esc(what(subject))} ${d.state.toLowerCase()}${reason}`.trim();
  const url =
    e['detail-type'] === STATE_CHANGE_DETAIL_TYPES.action
      ? e.detail['execution-result']?.['external-execution-url']
      : undefined;
  const blocks: SlackBlock[] = [{ type: 'section', text: { type: 'mrkdwn', text } }];
  if (url !== undefined)
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: `<${esc(url)}|Details>` } });
  blocks.push(context(d['execution-id'], e.time));
  return { text, blocks };
}

function context(executionId: string, time: string | undefined): SlackBlock {
  return {
    type: 'context',
    elements: [
      { type: 'mrkdwn', text: `execution \`${esc(executionId)}\`${time === undefined ? '' : ` · ${time}`}` },
    ],
  };
}
