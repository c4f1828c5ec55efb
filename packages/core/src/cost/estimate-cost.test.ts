import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compilePipeline } from '../compiler/compile-pipeline.ts';
import type { Action, Pipeline } from '../model/pipeline.ts';
import { fakeAction } from '../testing/fake-pipeline.ts';
import { countSuccessPath } from './count-transitions.ts';
import { codePipelineV2BilledMinutes, estimateCost } from './estimate-cost.ts';
import { formatCostTable } from './format-cost-table.ts';
import { PRICES } from './prices.ts';

const FIXTURES = new URL('../../../../test/fixtures/compiler/', import.meta.url);
const OPTIONS = { resources: { actionRunner: 'runner', stageGate: 'gate' } };

function fixture(name: string): Pipeline {
  return JSON.parse(readFileSync(new URL(`${name}.pipeline.json`, FIXTURES), 'utf8')) as Pipeline;
}

/** A fake action whose provider is Lambda (Manual for approvals), as the cost model prices it. */
function action(
  name: string,
  category: Action['actionTypeId']['category'],
  extra: Partial<Action> = {},
): Action {
  const base = fakeAction(name, category);
  const provider = category === 'Approval' ? 'Manual' : 'Lambda';
  return { ...base, actionTypeId: { ...base.actionTypeId, provider }, ...extra };
}

describe('countSuccessPath', () => {
  it('counts Start, gate, enter, action, leave per stage, Finish and Succeeded for the seed', () => {
    expect(countSuccessPath(compilePipeline(fixture('seed-source-build'), OPTIONS))).toEqual({
      stateTransitions: 11,
      tasks: 7,
    });
  });

  it('counts a Parallel once plus each branch state', () => {
    // Start 1; Source 4; Build gate+enter+Parallel(1+3)+leave = 7; Approve 4; Deploy 6 (the
    // CloudFormation action's long-wait Choice, passed once when it ends at once); Finish+Succeeded 2.
    expect(countSuccessPath(compilePipeline(fixture('web-app'), OPTIONS))).toEqual({
      stateTransitions: 24,
      tasks: 16,
    });
  });
});

describe('estimateCost', () => {
  it('counts the usage of one seed execution exactly', () => {
    const pipeline = fixture('seed-source-build');
    const estimate = estimateCost(pipeline, compilePipeline(pipeline, OPTIONS));
    expect(estimate.counts).toEqual({
      stages: 2,
      actions: 2,
      approvals: 0,
      stateTransitions: 11,
      lambdaInvocations: 10, // 7 tasks + start handler + 2 completions
      lambdaGbSeconds: 1.5, // 10 × 0.5 GB × 0.3 s
      dynamoWriteUnits: 15, // 3 execution + 2 × (2 stage + 2 lock) + 2 × 2 action
      dynamoReadUnits: 20,
      eventBridgeEvents: 10, // (pipeline + 2 stages + 2 actions) × 2
      snsPublishes: 0,
      snsEmails: 0,
    });
    expect(estimate.perExecution.totalUsd).toBeCloseTo(0.0003188751, 10);
  });

  it('counts approvals: two extra invocations, two extra events, one SNS publish per recipient email', () => {
    const pipeline = fixture('web-app');
    const estimate = estimateCost(pipeline, compilePipeline(pipeline, OPTIONS), {
      approvalEmailRecipients: 3,
    });
    expect(estimate.counts).toMatchObject({
      approvals: 1,
      lambdaInvocations: 25,
      dynamoWriteUnits: 35,
      eventBridgeEvents: 24,
      snsPublishes: 1,
      snsEmails: 3,
    });
  });

  it('leaves out stage-lock events in PARALLEL mode', () => {
    const pipeline: Pipeline = { ...fixture('seed-source-build'), executionMode: 'PARALLEL' };
    const estimate = estimateCost(pipeline, compilePipeline(pipeline, OPTIONS));
    expect(estimate.counts.dynamoWriteUnits).toBe(11);
  });

  it('accepts counts made beforehand instead of a definition', () => {
    const pipeline = fixture('seed-source-build');
    const fromDefinition = estimateCost(pipeline, compilePipeline(pipeline, OPTIONS));
    const fromCounts = estimateCost(pipeline, { stateTransitions: 11, tasks: 7 });
    expect(fromCounts).toEqual(fromDefinition);
  });

  it('rounds each CodePipeline V2 action up to the minute and leaves out approvals and custom actions', () => {
    const pipeline: Pipeline = {
      ...fixture('seed-source-build'),
      stages: [
        {
          name: 'S',
          actions: [
            action('A', 'Invoke'),
            action('B', 'Build'),
            action('Ok', 'Approval'),
            action('C', 'Build', {
              actionTypeId: { category: 'Build', owner: 'Custom', provider: 'X', version: '1' },
            }),
          ],
        },
      ],
    };
    const estimate = estimateCost(pipeline, compilePipeline(pipeline, OPTIONS), { actionMinutes: 2.1 });
    expect(estimate.codePipeline.v2.billableActions).toBe(2);
    expect(estimate.codePipeline.v2.billedMinutesPerExecution).toBe(6);
    expect(estimate.codePipeline.v2.perExecutionUsd).toBeCloseTo(0.012, 12);
  });

  it('scales the month linearly for Pipewright and V2, and charges V1 a flat dollar', () => {
    const pipeline = fixture('web-app');
    const definition = compilePipeline(pipeline, OPTIONS);
    const one = estimateCost(pipeline, definition, { executionsPerMonth: 1 });
    const many = estimateCost(pipeline, definition, { executionsPerMonth: 1000 });
    expect(many.monthly.pipewrightUsd).toBeCloseTo(one.perExecution.totalUsd * 1000, 12);
    expect(many.monthly.codePipelineV2Usd).toBeCloseTo(1000 * 6 * 2 * 0.002, 9);
    expect(one.monthly.codePipelineV1Usd).toBe(1);
    expect(many.monthly.codePipelineV1Usd).toBe(1);
    expect(many.codePipeline.v1.perExecutionUsd).toBeCloseTo(0.001, 12);
    expect(estimateCost(pipeline, definition, { executionsPerMonth: 0 }).monthly.codePipelineV1Usd).toBe(0);
  });

  it('prices x86 duration higher than arm64', () => {
    const pipeline = fixture('seed-source-build');
    const definition = compilePipeline(pipeline, OPTIONS);
    const arm = estimateCost(pipeline, definition, { lambdaArchitecture: 'arm64' });
    const x86 = estimateCost(pipeline, definition, { lambdaArchitecture: 'x86_64' });
    const gbs = (e: typeof arm) =>
      e.perExecution.items.find((i) => i.item.startsWith('GB-seconds'))?.costUsd ?? 0;
    expect(gbs(arm)).toBeCloseTo(1.5 * PRICES.lambdaGbSecondArm.usd, 15);
    expect(gbs(x86)).toBeGreaterThan(gbs(arm));
  });
});

describe('codePipelineV2BilledMinutes', () => {
  it.each([
    [0.2, 1],
    [1, 1],
    [1.01, 2],
    [2, 2],
    [59.5, 60],
  ])('bills %d minutes as %d', (minutes, billed) => {
    expect(codePipelineV2BilledMinutes(minutes)).toBe(billed);
  });
});

describe('formatCostTable', () => {
  it('prints every line item, the total and the three monthly figures', () => {
    const pipeline = fixture('web-app');
    const text = formatCostTable(
      estimateCost(pipeline, compilePipeline(pipeline, OPTIONS), { executionsPerMonth: 1000 }),
    );
    expect(text).toContain('Cost of pipeline "web-app" (us-east-1');
    expect(text).toMatch(/Step Functions\s+state transitions\s+24\s+\$0\.0000250000\s+\$0\.000600/);
    expect(text).toMatch(/Pipewright \(serverless\)\s+\$0\.000728\s+\$0\.73/);
    expect(text).toMatch(/CodePipeline V1\s+\$0\.001000\s+\$1\.00/);
    expect(text).toMatch(/CodePipeline V2\s+\$0\.024000\s+\$24\.00/);
    expect(text).toContain('Not included on either side: CodeBuild');
  });
});
