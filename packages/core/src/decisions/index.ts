/**
 * The engine's pure deciders: from an execution's view (a fold of its events), the pipeline
 * and one task payload or result, to the events to append and the commands to carry out.
 *
 * @example
 * ```ts
 * import { decideGate, parseTaskPayload } from './index.ts';
 * ```
 */
export {
  type ActionDecisionContext,
  decideAction,
  decideActionOutcome,
  type OutcomeContext,
} from './decide-action.ts';
export { type ApprovalDecisionInput, decideApproval, findApproval } from './decide-approval.ts';
export { decideOrchestratorEnd, type OrchestratorEnd } from './decide-orchestrator-end.ts';
export {
  decideInProgress,
  decidePoll,
  type InProgressAnswer,
  MAX_POLL_DELAY_SECONDS,
  MAX_PROGRESS_STATE_BYTES,
  type PollDecision,
  type PollProgress,
  pollDelaySeconds,
} from './decide-poll.ts';
export {
  decideRetryLock,
  decideRetryStage,
  type RetryLockRequest,
  type RetryStageInput,
  retryLockStage,
} from './decide-retry-stage.ts';
export {
  canRollBackTo,
  checkRollbackStage,
  checkRollbackTarget,
  decideRolledBack,
  rollbackLookupView,
  rollbackSkipsStage,
} from './decide-rollback.ts';
export {
  type DecisionContext,
  decideFinish,
  decideGate,
  decideLeave,
  isClosed,
} from './decide-stage-boundary.ts';
export {
  CONDITION_FAILED_ERROR,
  type ConditionContext,
  decideStageEntry,
  decideStageExit,
} from './decide-stage-conditions.ts';
export {
  decideStageFailed,
  failureEvaluatesConditions,
  type StageFailedContext,
  type StageFailurePolicy,
} from './decide-stage-failed.ts';
export {
  decideStageLock,
  decideStageRelease,
  type LockDecision,
  type LockRequest,
  lockedStage,
  type NewPipelineEvent,
} from './decide-stage-lock.ts';
export { decideStart, type StartInput } from './decide-start.ts';
export { decideStop, decideStopped, type StopInput } from './decide-stop.ts';
export {
  decideDisableTransition,
  decideEnableTransition,
  decideTransitionGate,
  TRANSITION_REASON_MAX,
  type TransitionChange,
  type TransitionDisable,
  type TransitionGateDecision,
  transitionOf,
} from './decide-transition.ts';
export {
  ACTION_FAILED_ERROR,
  type ActionRef,
  type ActionResult,
  type ActionToRun,
  type Decision,
  type NewExecutionEvent,
  type TaskReply,
} from './decision.ts';
export {
  type ConditionEvaluation,
  conditionCause,
  conditionRulesToRun,
  evaluateConditions,
  evaluatedCondition,
  IO_RULE_PROVIDERS,
  type RuleOutcome,
  type RuleResult,
  type RuleToRun,
  ruleAsAction,
  stageConditions,
  variableContextOf,
} from './evaluate-condition.ts';
export {
  actionAttempts,
  actionNamed,
  attemptsIn,
  replyFor,
  stageNamed,
  visibleVariables,
} from './execution-lookup.ts';
export { evaluateDeploymentWindow } from './rule-deployment-window.ts';
export {
  evaluateVariableCheck,
  type RuleVerdict,
  VARIABLE_CHECK_OPERATORS,
  type VariableCheckOperator,
} from './rule-variable-check.ts';
export {
  type CaughtError,
  CaughtErrorSchema,
  parseTaskPayload,
  type TaskPayload,
  type TaskPayloadOf,
  TaskPayloadSchema,
} from './task-payload.ts';
