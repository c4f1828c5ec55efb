/**
 * What `bench/dashboard.bench.ts` is built from: its pipeline (4 stages, 6 no-op actions), the
 * no-op provider that fails some Integration runs, copies of recorded executions, unmatched
 * trigger deliveries, and the figures' statistics.
 */
import { randomUUID } from 'node:crypto';
import {
  type Action,
  type ActionCategory,
  type EventRecord,
  type NewEventRecord,
  type Pipeline,
  pipelineStream,
  triggerReceived,
} from '@pipewright/core';
import type { ActionProvider } from '@pipewright/engine';
import type { LocalRuntime } from '@pipewright/local';

/** A duration for the figures (`—` for none). */
export const ms = (n: number | undefined) => (n === undefined ? '—' : `${n.toFixed(1)} ms`);

function quantile(sorted: readonly number[], q: number): number | undefined {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

/** Median, p95 and count of the samples. */
export const stats = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return { median: quantile(s, 0.5), p95: quantile(s, 0.95), n: s.length };
};

/** Resolves after `n` ms. */
export const pause = (n: number) => new Promise((done) => setTimeout(done, n));

function action(name: string, category: ActionCategory, runOrder = 1): Action {
  return {
    name,
    actionTypeId: { category, owner: 'Custom', provider: 'Noop', version: '1' },
    runOrder,
    configuration: category === 'Source' ? { BranchName: 'main' } : {},
    inputArtifacts: [],
    outputArtifacts: [],
  };
}

/** The benchmarked pipeline. */
export const PIPELINE: Pipeline = {
  name: 'bench',
  executionMode: 'PARALLEL',
  pipelineType: 'V2',
  variables: [{ name: 'TARGET', defaultValue: 'staging' }],
  triggers: [],
  stages: [
    { name: 'Source', actions: [action('Checkout', 'Source')] },
    { name: 'Build', actions: [action('Compile', 'Build'), action('Lint', 'Build')] },
    { name: 'Test', actions: [action('Unit', 'Test'), action('Integration', 'Test')] },
    { name: 'Deploy', actions: [action('Ship', 'Deploy')] },
  ],
};

/** A no-op provider for {@link PIPELINE}'s actions; every fifth run fails its Integration action. */
export function noopProvider(): ActionProvider {
  let runs = 0;
  return {
    categories: ['Source', 'Build', 'Test', 'Deploy'],
    provider: 'Noop',
    async run(run) {
      runs++;
      run.log.write('stdout', `${run.stage}/${run.action.name}\n`);
      if (run.action.name === 'Integration' && runs % 5 === 0) {
        return { status: 'Failed', error: { type: 'JobFailed', message: 'integration tests failed' } };
      }
      const outputVariables: Record<string, string> =
        run.action.actionTypeId.category === 'Source' ? { CommitId: randomUUID().replaceAll('-', '') } : {};
      return { status: 'Succeeded', outputArtifacts: [], outputVariables };
    },
  };
}

/** The first `upTo` events of a recorded execution, as execution `id`, `shiftMs` earlier. */
export function copy(
  template: EventRecord[],
  id: string,
  shiftMs: number,
  upTo = template.length,
): NewEventRecord[] {
  const from = template[0]?.stream.slice('execution-'.length) ?? '';
  return template.slice(0, upTo).map((r) => {
    const moved = JSON.parse(
      JSON.stringify({ id: r.id, data: r.data, actor: r.actor }).replaceAll(from, id),
    ) as {
      id: string;
      data: unknown;
      actor?: NewEventRecord['actor'];
    };
    return {
      id: moved.id,
      type: r.type,
      at: new Date(Date.parse(r.at) - shiftMs).toISOString(),
      ...(moved.actor === undefined ? {} : { actor: moved.actor }),
      data: moved.data,
    };
  });
}

/** Appends `count` unmatched webhook deliveries to the pipeline's stream, a minute apart. */
export async function seedTriggers(
  runtime: LocalRuntime,
  pipelineName: string,
  count: number,
): Promise<void> {
  for (let i = 0; i < count; i++) {
    await runtime.store.append(
      pipelineStream(pipelineName),
      [
        triggerReceived({
          pipelineName,
          at: new Date(Date.now() - i * 60_000).toISOString(),
          triggerId: `delivery-${i}`,
          trigger: { triggerType: 'WebhookV2', triggerDetail: `github:acme/bench@refs/heads/feature/${i}` },
          matched: false,
          reason: `push to branch "feature/${i}": branch "feature/${i}" is not included by push filter 1 (includes: main)`,
        }),
      ],
      { expectedVersion: 'any' },
    );
  }
}
