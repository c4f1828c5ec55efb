/**
 * The dashboard's forms, each a plain HTML form that POSTs with the session's CSRF token and
 * is answered with a redirect back to the page (no script needed): approve or reject,
 * retry a failed stage, stop an execution, disable or enable a transition, release a change.
 * Where this server does not run executions (`WebDeps.control` absent) the buttons are
 * replaced by a sentence saying so.
 *
 * @example
 * ```ts
 * html`${retryForm('web-app', view.pipelineExecutionId, 'Build')}`;
 * ```
 */
import type { ApprovalView, Pipeline, TransitionState } from '@pipewright/core';
import { html, raw, type SafeHtml } from '../html/escape.ts';
import { formatDuration, pipelinePath, timeTag } from './format.ts';
import { csrfField } from './layout.ts';

/** A sentence for servers that do not run executions. @example `notHere('retry')` */
export function notHere(what: string): SafeHtml {
  return html`<p class="muted">This server does not run executions; ${what} where the pipeline runs (<code>pipewright serve</code>).</p>`;
}

/** A stable, valid element id from parts. @example `domId('log', 'Build', 'Compile'); // 'log-Build-Compile'` */
export function domId(...parts: string[]): string {
  return parts.map((p) => p.replace(/[^A-Za-z0-9_-]/g, '_')).join('-');
}

/**
 * Approve / reject a pending approval.
 *
 * @example
 * ```ts
 * approvalForm('web-app', '7f0c', approval, '/pipelines/web-app', new Date());
 * ```
 */
export function approvalForm(
  pipeline: string,
  executionId: string,
  approval: ApprovalView,
  back: string,
  now: Date,
): SafeHtml {
  const id = domId('approval', approval.approvalId);
  const action = `${pipelinePath(pipeline)}/executions/${encodeURIComponent(executionId)}/approvals`;
  const left = approval.expiresAt === undefined ? undefined : Date.parse(approval.expiresAt) - now.getTime();
  return html`<form method="post" action="${action}" class="stack" aria-labelledby="${id}-title">
${csrfField()}
<input type="hidden" name="approvalId" value="${approval.approvalId}">
<input type="hidden" name="back" value="${back}">
<div class="field"><label for="${id}-comment">Comment <span class="muted">(optional)</span></label>
<textarea id="${id}-comment" name="comment" maxlength="512"></textarea></div>
${left === undefined ? '' : html`<p class="muted">Expires ${timeTag(approval.expiresAt)} (in ${formatDuration(Math.max(0, left))}).</p>`}
<div class="buttons">
<button type="submit" class="ok" name="decision" value="approve">Approve</button>
<button type="submit" class="bad" name="decision" value="reject">Reject</button>
</div>
</form>`;
}

/**
 * Retry a failed stage: its failed actions, or all of them.
 *
 * @example
 * ```ts
 * retryForm('web-app', '7f0c', 'Build', '/pipelines/web-app');
 * ```
 */
export function retryForm(pipeline: string, executionId: string, stageName: string, back: string): SafeHtml {
  return html`<form method="post" action="${pipelinePath(pipeline)}/executions/${encodeURIComponent(executionId)}/retry" class="inline">
${csrfField()}
<input type="hidden" name="stageName" value="${stageName}">
<input type="hidden" name="back" value="${back}">
<button type="submit" name="retryMode" value="FAILED_ACTIONS" aria-label="Retry failed actions of ${stageName}">Retry failed</button>
<button type="submit" class="secondary" name="retryMode" value="ALL_ACTIONS" aria-label="Retry all actions of ${stageName}">Retry all</button>
</form>`;
}

/**
 * Stop a running execution (optionally abandoning its running actions), with a reason.
 *
 * @example
 * ```ts
 * stopForm('web-app', '7f0c');
 * ```
 */
export function stopForm(pipeline: string, executionId: string): SafeHtml {
  return html`<details id="stop" class="stop"><summary>Stop this execution</summary>
<form method="post" action="${pipelinePath(pipeline)}/executions/${encodeURIComponent(executionId)}/stop" class="inline">
${csrfField()}
<div class="field"><label for="stop-reason">Reason <span class="muted">(optional)</span></label>
<input id="stop-reason" name="reason" maxlength="200" autocomplete="off"></div>
<label class="check"><input type="checkbox" name="abandon" value="1"> Abandon running actions</label>
<button type="submit" class="bad">Stop execution</button>
</form></details>`;
}

/**
 * The inbound transition of a stage: its state and the form that flips it.
 *
 * @example
 * ```ts
 * transitionForm('web-app', 'Deploy', { enabled: true });
 * ```
 */
export function transitionForm(
  pipeline: string,
  stageName: string,
  state: TransitionState,
  canControl: boolean,
): SafeHtml {
  const id = domId('transition', stageName);
  const action = `${pipelinePath(pipeline)}/transitions/${encodeURIComponent(stageName)}`;
  const said = state.enabled
    ? html`<p><span aria-hidden="true">→</span> Transition into ${stageName} is <strong>enabled</strong>.</p>`
    : html`<p><span aria-hidden="true">⊘</span> Transition into ${stageName} is <strong>disabled</strong>${
        state.lastChangedBy === undefined ? '' : html` by ${state.lastChangedBy}`
      }${state.lastChangedAt === undefined ? '' : html` at ${timeTag(state.lastChangedAt)}`}: ${state.disabledReason ?? ''}</p>`;
  if (!canControl) return html`<div class="transition${state.enabled ? '' : raw(' off')}">${said}</div>`;
  const form = state.enabled
    ? html`<details id="${id}-disable"><summary>Disable this transition</summary>
<form method="post" action="${action}" class="inline">
${csrfField()}<input type="hidden" name="enable" value="0">
<div class="field"><label for="${id}-reason">Reason to disable</label>
<input id="${id}-reason" name="reason" required maxlength="300" autocomplete="off"></div>
<button type="submit" class="secondary">Disable transition</button>
</form></details>`
    : html`<form method="post" action="${action}" class="inline">
${csrfField()}<input type="hidden" name="enable" value="1">
<button type="submit">Enable transition</button>
</form>`;
  return html`<div class="transition${state.enabled ? '' : raw(' off')}" id="${id}">${said}${form}</div>`;
}

/**
 * "Release change": start an execution, with the pipeline's variables prefilled with their
 * defaults to override.
 *
 * @example
 * ```ts
 * releaseForm(pipeline);
 * ```
 */
export function releaseForm(pipeline: Pipeline): SafeHtml {
  const fields = pipeline.variables.map(
    (v, i) => html`<div class="field"><label for="var-${i}">${v.name}</label>
<input id="var-${i}" name="var.${v.name}" value="${v.defaultValue ?? ''}" autocomplete="off"${
      v.description === undefined ? '' : html` aria-describedby="var-${i}-help"`
    }>${v.description === undefined ? '' : html`<span class="muted" id="var-${i}-help">${v.description}</span>`}</div>`,
  );
  return html`<form method="post" action="${pipelinePath(pipeline.name)}/release" class="stack">
${csrfField()}
${fields.length === 0 ? html`<p class="muted">This pipeline has no variables.</p>` : fields}
<div class="buttons"><button type="submit">Release change</button></div>
</form>`;
}
