import type { Action } from '../model/pipeline.ts';
import { findProvider } from '../providers/index.ts';

/** Timeout for an action whose provider Pipewright does not know (CodePipeline's "everything else"). */
export const FALLBACK_TIMEOUT_MINUTES = 60;

/**
 * The `TimeoutSeconds` of an action's Task: `timeoutInMinutes`, else the provider's
 * CodePipeline default, else 60 minutes.
 *
 * @example
 * ```ts
 * actionTimeoutSeconds({ ...action, timeoutInMinutes: 15 }); // 900
 * ```
 */
export function actionTimeoutSeconds(action: Action): number {
  const minutes =
    action.timeoutInMinutes ??
    findProvider(action.actionTypeId)?.defaultTimeoutMinutes ??
    FALLBACK_TIMEOUT_MINUTES;
  return minutes * 60;
}
