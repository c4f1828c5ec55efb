/**
 * The approval review page: what is to be approved (pipeline, execution, stage and action,
 * commit, custom data, external link, when it was requested and until when it can be decided)
 * and, while it is pending, a form to approve or reject with a comment for a signed-in user
 * allowed to decide it (a link to sign in otherwise); once decided, who
 * decided, when, and their comment — and no form.
 *
 * @example
 * ```ts
 * const { title, body } = approvalPage({ view, approval, link, approvalId, decider });
 * return sendPage(c, 200, title, body);
 * ```
 */
import type { ApprovalView, ExecutionView, SourceRevision } from '@pipewright/core';
import { html, httpUrl, type SafeHtml } from '../html/escape.ts';
import type { LinkCredential } from './find-approval.ts';

function time(iso: string | undefined): SafeHtml {
  if (iso === undefined) return html`<span>unknown</span>`;
  const shown = iso.replace('T', ' ').replace(/\.\d+Z$|Z$/, ' UTC');
  return html`<time datetime="${iso}">${shown}</time>`;
}

function link(text: string): SafeHtml {
  const href = httpUrl(text);
  return href === undefined ? html`${text}` : html`<a href="${href}" rel="noopener noreferrer">${text}</a>`;
}

function revision(r: SourceRevision): SafeHtml {
  const id = r.revisionId === undefined ? html`(no revision id)` : html`<code>${r.revisionId}</code>`;
  const url = r.revisionUrl === undefined ? undefined : httpUrl(r.revisionUrl);
  return html`<div>${url === undefined ? id : html`<a href="${url}" rel="noopener noreferrer">${id}</a>`} ${
    r.revisionSummary === undefined ? '' : html`— ${r.revisionSummary}`
  } <span class="eyebrow">(${r.actionName})</span></div>`;
}

/**
 * One sentence about a decided approval: `Approved by alice at 2026-01-09 10:00:00 UTC`.
 *
 * @example
 * ```ts
 * decisionSentence(approval).toString(); // 'Approved by alice at <time …>…</time>'
 * ```
 */
export function decisionSentence(approval: ApprovalView): SafeHtml {
  if (approval.status === 'Pending') return html`Waiting for a decision`;
  const by = approval.decidedBy === undefined ? '' : html` by <strong>${approval.decidedBy.id}</strong>`;
  const at = approval.decidedAt === undefined ? '' : html` at ${time(approval.decidedAt)}`;
  return html`${approval.status}${by}${at}`;
}

function decisionSection(approval: ApprovalView): SafeHtml {
  if (approval.status === 'Expired' || approval.status === 'Abandoned') {
    return html`<h2>Decision</h2>
<p>This approval is <span class="status s-${approval.status}">${approval.status}</span>${
      approval.decidedAt === undefined ? '' : html` since ${time(approval.decidedAt)}`
    }; it can no longer be decided.</p>`;
  }
  return html`<h2>Decision</h2>
<dl class="facts">
<dt>Decision</dt><dd><span class="status s-${approval.status}">${approval.status}</span></dd>
<dt>Decided by</dt><dd>${approval.decidedBy?.id ?? 'unknown'}</dd>
<dt>Decided at</dt><dd>${time(approval.decidedAt)}</dd>
<dt>Comment</dt><dd>${approval.summary ?? html`<span class="eyebrow">none</span>`}</dd>
</dl>`;
}

/**
 * Who looks at the page: nobody signed in (a link to sign in and come back), a signed-in user
 * who may not decide this approval, or one who may (the form, with the session's CSRF token).
 *
 * @example
 * ```ts
 * const decider: Decider = { kind: 'allowed', user: 'bob', csrf };
 * ```
 */
export type Decider =
  | { kind: 'signed-out'; signIn: string }
  | { kind: 'refused'; user: string }
  | { kind: 'allowed'; user: string; csrf: string };

function decisionForm(approvalId: string, link: LinkCredential, decider: Decider): SafeHtml {
  if (decider.kind === 'signed-out') {
    return html`<h2>Your decision</h2>
<p>Deciding needs an approver who is signed in. <a href="${decider.signIn}">Sign in</a> and you come back here.</p>`;
  }
  if (decider.kind === 'refused') {
    return html`<h2>Your decision</h2>
<p class="notice" role="alert">You are signed in as <strong>${decider.user}</strong>, who may not decide this approval. Ask an admin to name you (or your group) in the approval rules of the users file, or sign in as an approver.</p>`;
  }
  return html`<h2>Your decision</h2>
<form method="post" action="${encodeURIComponent(approvalId)}">
<input type="hidden" name="expires" value="${link.expires}">
<input type="hidden" name="signature" value="${link.signature}">
<input type="hidden" name="_csrf" value="${decider.csrf}">
<p>You decide as <strong>${decider.user}</strong>; the event log records it.</p>
<label for="comment">Comment <span class="eyebrow">(optional)</span></label>
<textarea id="comment" name="comment" maxlength="512"></textarea>
<div class="buttons">
<button type="submit" class="approve" name="decision" value="approve">Approve</button>
<button type="submit" class="reject" name="decision" value="reject">Reject</button>
</div>
</form>`;
}

/**
 * The page of one approval.
 *
 * @example
 * ```ts
 * approvalPage({ view, approval, approvalId, link, notice: 'Already decided.' }).title; // 'Review Approve/Release'
 * ```
 */
export function approvalPage(input: {
  view: ExecutionView;
  approval: ApprovalView;
  approvalId: string;
  link: LinkCredential;
  decider: Decider;
  /** Shown at the top as an alert (a refused decision). */
  notice?: SafeHtml;
}): { title: string; body: SafeHtml } {
  const { view, approval } = input;
  const where = `${approval.stageName}/${approval.actionName}`;
  const title = approval.status === 'Pending' ? `Review ${where}` : `${where}: ${approval.status}`;
  const revisions =
    view.sourceRevisions.length === 0
      ? html`<span class="eyebrow">none recorded</span>`
      : view.sourceRevisions.map(revision);
  const body = html`<p class="eyebrow">Pipewright approval</p>
<h1>${title}</h1>
${input.notice === undefined ? '' : html`<p class="notice" role="alert">${input.notice}</p>`}
<dl class="facts">
<dt>Pipeline</dt><dd>${view.pipelineName}${view.pipelineVersion === undefined ? '' : html` <span class="eyebrow">(version ${view.pipelineVersion})</span>`}</dd>
<dt>Execution</dt><dd><code>${view.pipelineExecutionId}</code> <span class="eyebrow">(${view.status})</span></dd>
<dt>Stage</dt><dd>${approval.stageName}</dd>
<dt>Action</dt><dd>${approval.actionName}</dd>
<dt>Commit</dt><dd>${revisions}</dd>
<dt>Requested</dt><dd>${time(approval.requestedAt)}</dd>
<dt>Expires</dt><dd>${time(approval.expiresAt)}</dd>
${approval.externalEntityLink === undefined ? '' : html`<dt>Details</dt><dd>${link(approval.externalEntityLink)}</dd>`}
</dl>
${
  approval.customData === undefined
    ? ''
    : html`<h2>What to check</h2>
<p class="custom">${approval.customData}</p>`
}
${approval.status === 'Pending' ? decisionForm(input.approvalId, input.link, input.decider) : decisionSection(approval)}`;
  return { title, body };
}
