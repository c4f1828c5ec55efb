/**
 * After a stop abandoned actions in progress: asks each one's provider to stop the work it
 * started elsewhere (`ActionProvider.cancel`: StopDeployment, StopExecution,
 * CancelUpdateStack, AbortEnvironmentUpdate…). Best effort, after the facts are recorded: a
 * provider that cannot cancel is reported through `onWarning`.
 *
 * @example
 * ```ts
 * await cancelAbandoned({ providers, pipeline, view, events: decision.events, onWarning });
 * ```
 */
import type { ExecutionView, NewExecutionEvent, Pipeline } from '@pipewright/core';
import type { ActionProvider } from './action-provider.ts';

/**
 * Calls `cancel` of the provider of every `ActionAbandoned` among `events`.
 *
 * @example
 * ```ts
 * await cancelAbandoned({ providers, pipeline, view, events, onWarning: console.warn });
 * ```
 */
export async function cancelAbandoned(input: {
  providers: readonly ActionProvider[];
  pipeline: Pipeline;
  view: ExecutionView;
  events: readonly NewExecutionEvent[];
  onWarning?: (message: string) => void;
}): Promise<void> {
  const { providers, pipeline, view } = input;
  for (const event of input.events) {
    if (event.type !== 'ActionAbandoned') continue;
    const { stageName, actionName, actionExecutionId } = event.data;
    const declared = pipeline.stages
      .find((s) => s.name === stageName)
      ?.actions.find((a) => a.name === actionName);
    const attempt = view.stages
      .find((s) => s.stageName === stageName)
      ?.actions.find((a) => a.actionName === actionName)
      ?.attempts.find((a) => a.actionExecutionId === actionExecutionId);
    if (declared === undefined || attempt === undefined) continue;
    const type = declared.actionTypeId;
    const provider = providers.find(
      (p) => p.provider === type.provider && p.categories.includes(type.category),
    );
    if (provider?.cancel === undefined) continue;
    try {
      await provider.cancel({
        pipeline: pipeline.name,
        executionId: view.pipelineExecutionId,
        stage: stageName,
        action: { ...declared, configuration: { ...attempt.resolvedConfiguration } },
        actionExecutionId,
        ...(attempt.externalExecutionId === undefined
          ? {}
          : { externalExecutionId: attempt.externalExecutionId }),
        reason: event.data.reason ?? 'the execution was stopped',
      });
    } catch (e) {
      input.onWarning?.(
        `could not cancel what ${stageName}/${actionName} started (${attempt.externalExecutionId ?? actionExecutionId}): ${(e as Error).message}; stop it in AWS`,
      );
    }
  }
}
