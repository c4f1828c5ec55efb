import type { AslDefinition } from '../compiler/asl-types.ts';
import type { Action, Pipeline } from '../model/pipeline.ts';
import { countSuccessPath } from './count-transitions.ts';
import { PRICES, type Price } from './prices.ts';

/** What the estimate assumes; every field has a documented default (docs/cost.md). */
export interface CostAssumptions {
  /** Minutes each action runs (CodePipeline V2 bills them, rounded up per action). Default 2. */
  actionMinutes?: number;
  /** Only us-east-1 prices are known. */
  region?: 'us-east-1';
  /** Executions per month for the monthly figures. Default 100. */
  executionsPerMonth?: number;
  /** Memory of Pipewright's functions. Default 512 MB. */
  lambdaMemoryMb?: number;
  /** Average billed duration of one invocation. Default 300 ms. */
  lambdaDurationMs?: number;
  /** Default arm64 (what Pipewright deploys). */
  lambdaArchitecture?: 'arm64' | 'x86_64';
  /** Email recipients of each approval notification. Default 1. */
  approvalEmailRecipients?: number;
}

/** Either the compiled definition (transitions are counted on it) or counts made beforehand. */
export type CompiledOrCounts =
  | Pick<AslDefinition, 'StartAt' | 'States'>
  | { stateTransitions: number; tasks: number };

/** Usage of one successful execution on Pipewright's serverless runtime. */
export interface UsageCounts {
  stages: number;
  actions: number;
  approvals: number;
  stateTransitions: number;
  lambdaInvocations: number;
  lambdaGbSeconds: number;
  dynamoWriteUnits: number;
  dynamoReadUnits: number;
  eventBridgeEvents: number;
  snsPublishes: number;
  snsEmails: number;
}

/** One priced line of the estimate. */
export interface CostLineItem {
  service: 'Step Functions' | 'Lambda' | 'DynamoDB' | 'EventBridge' | 'SNS';
  item: string;
  quantity: number;
  unitPriceUsd: number;
  costUsd: number;
  source: string;
}

/** The cost of one execution on Pipewright, the month's figure, and CodePipeline V1/V2 beside it. */
export interface CostEstimate {
  pipeline: string;
  region: 'us-east-1';
  assumptions: Required<CostAssumptions>;
  counts: UsageCounts;
  perExecution: { items: CostLineItem[]; totalUsd: number };
  codePipeline: {
    v1: { perMonthUsd: number; perExecutionUsd: number };
    v2: {
      billableActions: number;
      billedMinutesPerExecution: number;
      perExecutionUsd: number;
      perMonthUsd: number;
    };
  };
  monthly: {
    executions: number;
    pipewrightUsd: number;
    codePipelineV1Usd: number;
    codePipelineV2Usd: number;
  };
}

/** Defaults of {@link CostAssumptions}. */
export const DEFAULT_COST_ASSUMPTIONS: Required<CostAssumptions> = {
  actionMinutes: 2,
  region: 'us-east-1',
  executionsPerMonth: 100,
  lambdaMemoryMb: 512,
  lambdaDurationMs: 300,
  lambdaArchitecture: 'arm64',
  approvalEmailRecipients: 1,
};

/**
 * How many things one execution does besides the state machine's own Lambda tasks
 * (documented in docs/cost.md; change them together).
 */
export const USAGE_MODEL = {
  /** Invocations outside the state machine: the trigger/start handler. */
  invocationsPerExecution: 1,
  /** The completion of an action (provider callback or EventBridge event → runner). */
  invocationsPerAction: 1,
  /** An approval: the link's page (GET) and the decision (POST), instead of a completion. */
  invocationsPerApproval: 2,
  /** ExecutionRequested, ExecutionStarted, ExecutionSucceeded. */
  eventsPerExecution: 3,
  /** StageEntered, StageSucceeded. */
  eventsPerStage: 2,
  /** Stage lock acquired and released in the pipeline's stream (not in PARALLEL mode). */
  lockEventsPerStage: 2,
  /** ActionStarted, ActionSucceeded. */
  eventsPerAction: 2,
  /** ApprovalRequested, ApprovalDecided. */
  extraEventsPerApproval: 2,
  /** Each event is at most 1 KB: one write request unit. */
  writeUnitsPerEvent: 1,
  /** Each invocation reads the execution's stream once (a strongly consistent query of ≤ 8 KB). */
  readUnitsPerInvocation: 2,
  /** EventBridge state-change events: pipeline, each stage and each action STARTED + SUCCEEDED. */
  stateChangeEventsPerEntity: 2,
} as const;

/** True for the actions CodePipeline V2 does not charge for: manual approval and custom action types. */
export function isFreeOnCodePipelineV2(action: Action): boolean {
  return action.actionTypeId.category === 'Approval' || action.actionTypeId.owner === 'Custom';
}

/** CodePipeline V2's billed minutes for one action: its duration rounded up to the minute (at least 1). */
export function codePipelineV2BilledMinutes(minutes: number): number {
  return Math.max(1, Math.ceil(minutes));
}

/**
 * Estimates the AWS cost of one successful execution of a compiled pipeline on Pipewright's
 * serverless runtime, itemised, the monthly figure, and what CodePipeline V1 and V2 would
 * charge for the same pipeline. Pure: prices come from `PRICES`.
 *
 * @example
 * ```ts
 * const estimate = estimateCost(pipeline, compilePipeline(pipeline, options), { executionsPerMonth: 1000 });
 * estimate.perExecution.totalUsd; // e.g. 0.00041
 * console.log(formatCostTable(estimate));
 * ```
 */
export function estimateCost(
  pipeline: Pipeline,
  compiledOrCounts: CompiledOrCounts,
  assumptions: CostAssumptions = {},
): CostEstimate {
  const a: Required<CostAssumptions> = { ...DEFAULT_COST_ASSUMPTIONS, ...definedOnly(assumptions) };
  const m = USAGE_MODEL;
  const path = 'stateTransitions' in compiledOrCounts ? compiledOrCounts : countSuccessPath(compiledOrCounts);

  const actions = pipeline.stages.flatMap((s) => s.actions);
  const approvals = actions.filter((x) => x.actionTypeId.category === 'Approval').length;
  const stages = pipeline.stages.length;
  const lambdaInvocations =
    path.tasks +
    m.invocationsPerExecution +
    (actions.length - approvals) * m.invocationsPerAction +
    approvals * m.invocationsPerApproval;
  const locks = pipeline.executionMode === 'PARALLEL' ? 0 : m.lockEventsPerStage;
  const events =
    m.eventsPerExecution +
    stages * (m.eventsPerStage + locks) +
    actions.length * m.eventsPerAction +
    approvals * m.extraEventsPerApproval;

  const counts: UsageCounts = {
    stages,
    actions: actions.length,
    approvals,
    stateTransitions: path.stateTransitions,
    lambdaInvocations,
    lambdaGbSeconds: lambdaInvocations * (a.lambdaMemoryMb / 1024) * (a.lambdaDurationMs / 1000),
    dynamoWriteUnits: events * m.writeUnitsPerEvent,
    dynamoReadUnits: lambdaInvocations * m.readUnitsPerInvocation,
    eventBridgeEvents: (1 + stages + actions.length) * m.stateChangeEventsPerEntity,
    snsPublishes: approvals,
    snsEmails: approvals * a.approvalEmailRecipients,
  };

  const gbSecond = a.lambdaArchitecture === 'arm64' ? PRICES.lambdaGbSecondArm : PRICES.lambdaGbSecondX86;
  const items: CostLineItem[] = [
    line('Step Functions', 'state transitions', counts.stateTransitions, PRICES.stepFunctionsTransition),
    line('Lambda', 'requests', counts.lambdaInvocations, PRICES.lambdaRequest),
    line('Lambda', `GB-seconds (${a.lambdaArchitecture})`, counts.lambdaGbSeconds, gbSecond),
    line('DynamoDB', 'write request units', counts.dynamoWriteUnits, PRICES.dynamoWriteRequestUnit),
    line('DynamoDB', 'read request units', counts.dynamoReadUnits, PRICES.dynamoReadRequestUnit),
    line('EventBridge', 'custom events', counts.eventBridgeEvents, PRICES.eventBridgeCustomEvent),
    line('SNS', 'publish requests', counts.snsPublishes, PRICES.snsPublish),
    line('SNS', 'email notifications', counts.snsEmails, PRICES.snsEmail),
  ];
  const totalUsd = items.reduce((sum, i) => sum + i.costUsd, 0);

  const billableActions = actions.filter((x) => !isFreeOnCodePipelineV2(x)).length;
  const billedMinutesPerExecution = billableActions * codePipelineV2BilledMinutes(a.actionMinutes);
  const v2PerExecution = billedMinutesPerExecution * PRICES.codePipelineV2ActionMinute.usd;
  const executions = a.executionsPerMonth;
  const v1PerMonth = executions > 0 ? PRICES.codePipelineV1ActivePipelineMonth.usd : 0;

  return {
    pipeline: pipeline.name,
    region: a.region,
    assumptions: a,
    counts,
    perExecution: { items, totalUsd },
    codePipeline: {
      v1: { perMonthUsd: v1PerMonth, perExecutionUsd: executions > 0 ? v1PerMonth / executions : 0 },
      v2: {
        billableActions,
        billedMinutesPerExecution,
        perExecutionUsd: v2PerExecution,
        perMonthUsd: v2PerExecution * executions,
      },
    },
    monthly: {
      executions,
      pipewrightUsd: totalUsd * executions,
      codePipelineV1Usd: v1PerMonth,
      codePipelineV2Usd: v2PerExecution * executions,
    },
  };
}

function line(service: CostLineItem['service'], item: string, quantity: number, price: Price): CostLineItem {
  return {
    service,
    item,
    quantity,
    unitPriceUsd: price.usd,
    costUsd: quantity * price.usd,
    source: price.source,
  };
}

function definedOnly(assumptions: CostAssumptions): CostAssumptions {
  return Object.fromEntries(
    Object.entries(assumptions).filter(([, v]) => v !== undefined),
  ) as CostAssumptions;
}
