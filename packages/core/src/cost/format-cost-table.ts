import type { CostEstimate } from './estimate-cost.ts';

/**
 * Renders an estimate as a plain-text table for the CLI (`pipewright cost`): the
 * per-execution items on Pipewright, then the month's totals beside CodePipeline V1 and V2.
 *
 * @example
 * ```ts
 * console.log(formatCostTable(estimateCost(pipeline, definition, { executionsPerMonth: 1000 })));
 * ```
 */
export function formatCostTable(estimate: CostEstimate): string {
  const a = estimate.assumptions;
  const c = estimate.counts;
  const rows: string[][] = [['Service', 'Item', 'Quantity', 'Unit price', 'Cost']];
  for (const i of estimate.perExecution.items) {
    rows.push([i.service, i.item, formatQuantity(i.quantity), usd(i.unitPriceUsd, 10), usd(i.costUsd, 6)]);
  }
  rows.push(['Total', '', '', '', usd(estimate.perExecution.totalUsd, 6)]);

  const v2 = estimate.codePipeline.v2;
  const month = estimate.monthly;
  const monthRows: string[][] = [
    ['Runtime', 'Per execution', `Per month (${formatQuantity(month.executions)} executions)`],
    ['Pipewright (serverless)', usd(estimate.perExecution.totalUsd, 6), usd(month.pipewrightUsd, 2)],
    ['CodePipeline V1', usd(estimate.codePipeline.v1.perExecutionUsd, 6), usd(month.codePipelineV1Usd, 2)],
    ['CodePipeline V2', usd(v2.perExecutionUsd, 6), usd(month.codePipelineV2Usd, 2)],
  ];

  return [
    `Cost of pipeline "${estimate.pipeline}" (${estimate.region}, list prices, free tiers not applied)`,
    `Assumes: ${plural(c.stages, 'stage')}, ${plural(c.actions, 'action')} (${plural(c.approvals, 'approval')}), ` +
      `${a.actionMinutes} min per action, ` +
      `Lambda ${a.lambdaArchitecture} ${a.lambdaMemoryMb} MB × ${a.lambdaDurationMs} ms.`,
    '',
    'One execution on Pipewright:',
    table(rows, [false, false, true, true, true]),
    '',
    table(monthRows, [false, true, true]),
    '',
    `CodePipeline V1: $1 per active pipeline per month. V2: ${v2.billableActions} billable actions × ` +
      `${v2.billedMinutesPerExecution / Math.max(1, v2.billableActions)} min (rounded up) × $0.002; approvals are free.`,
    'Not included on either side: CodeBuild/compute minutes of Commands, CodeBuild and other actions, ' +
      'S3 artifact storage, CloudWatch Logs, data transfer.',
  ].join('\n');
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function usd(value: number, decimals: number): string {
  if (value === 0) return '$0';
  const fixed = value.toFixed(decimals);
  return Number(fixed) === 0 ? `<$${(10 ** -decimals).toFixed(decimals)}` : `$${fixed}`;
}

function formatQuantity(n: number): string {
  return Number.isInteger(n) ? n.toLocaleString('en-US') : n.toFixed(2);
}

function table(rows: string[][], rightAligned: boolean[]): string {
  const widths = rows[0]?.map((_, col) => Math.max(...rows.map((r) => (r[col] ?? '').length))) ?? [];
  return rows
    .map((r) =>
      r
        .map((cell, col) =>
          rightAligned[col] ? cell.padStart(widths[col] ?? 0) : cell.padEnd(widths[col] ?? 0),
        )
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}
