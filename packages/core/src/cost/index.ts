/**
 * The cost model: what one execution costs on Pipewright's serverless runtime, and what
 * CodePipeline V1/V2 would charge for the same pipeline (docs/cost.md). Explicit re-exports only.
 *
 * @example
 * ```ts
 * import { estimateCost, formatCostTable } from './cost/index.ts';
 * console.log(formatCostTable(estimateCost(pipeline, definition, { executionsPerMonth: 500 })));
 * ```
 */
export { countSuccessPath, type SuccessPathCounts } from './count-transitions.ts';
export {
  type CompiledOrCounts,
  type CostAssumptions,
  type CostEstimate,
  type CostLineItem,
  codePipelineV2BilledMinutes,
  DEFAULT_COST_ASSUMPTIONS,
  estimateCost,
  isFreeOnCodePipelineV2,
  USAGE_MODEL,
  type UsageCounts,
} from './estimate-cost.ts';
export { formatCostTable } from './format-cost-table.ts';
export { PRICES, PRICES_CONFIRMED, type Price } from './prices.ts';
