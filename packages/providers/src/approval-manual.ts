/**
 * `Approval/Manual`: the action waits. The engine records the request, signs and prints the
 * approval link, and completes the action when someone approves or rejects (or the timeout
 * fails it); this provider only describes what is being approved.
 *
 * @example
 * ```ts
 * await manualApprovalProvider().run(run); // { status: 'Waiting', summary: 'Approval needed …' }
 * ```
 */
import type { ActionProvider } from '@pipewright/engine';

/**
 * The Manual approval provider.
 *
 * @example
 * ```ts
 * manualApprovalProvider().categories; // ['Approval']
 * ```
 */
export function manualApprovalProvider(): ActionProvider {
  return {
    categories: ['Approval'],
    provider: 'Manual',
    async run(run) {
      const { CustomData, ExternalEntityLink } = run.action.configuration;
      const lines = [`Approval needed for ${run.pipeline} / ${run.stage} / ${run.action.name}`];
      if (CustomData) lines.push(`Comments: ${CustomData}`);
      if (ExternalEntityLink) lines.push(`Review: ${ExternalEntityLink}`);
      const summary = lines.join('\n');
      run.log.write('system', `${summary}\n`);
      return { status: 'Waiting', summary };
    },
  };
}
