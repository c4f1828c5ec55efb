/**
 * Helpers of `bench/engine.bench.ts` (not a bench itself: `bench/run.ts` runs `*.bench.ts`
 * only): the no-op pipeline parts, quantiles, CPU time, and counters of the event store's
 * appends, reads and SQLite transactions.
 */
import { performance } from 'node:perf_hooks';
import type { Action, Pipeline, Stage } from '@pipewright/core';
import type { ActionProvider } from '@pipewright/engine';
import type { LocalRuntime } from '@pipewright/local';

/** A no-op action (`Build/Noop`) at `runOrder`. */
export function noopAction(name: string, runOrder: number): Action {
  return {
    name,
    actionTypeId: { category: 'Build', owner: 'Custom', provider: 'Noop', version: '1' },
    runOrder,
    configuration: {},
    inputArtifacts: [],
    outputArtifacts: [],
  };
}

/** A PARALLEL-mode pipeline of `stages`. */
export function pipelineOf(name: string, stages: Stage[]): Pipeline {
  return { name, executionMode: 'PARALLEL', pipelineType: 'V2', variables: [], triggers: [], stages };
}

/** The no-op provider; `onRun` sees every `run()` call (for the per-action timing). */
export function noopProvider(onRun: (executionId: string, at: number) => void = () => {}): ActionProvider {
  return {
    categories: ['Build'],
    provider: 'Noop',
    async run(run) {
      onRun(run.executionId, performance.now());
      return { status: 'Succeeded', outputArtifacts: [], outputVariables: {} };
    },
  };
}

/** The `q` quantile of ascending `sorted`. */
export function quantile(sorted: readonly number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? Number.NaN;
}

/** CPU time (user + system) of this process since `start`, in ms: steadier than wall time on a shared machine. */
export function cpuMs(start: NodeJS.CpuUsage | undefined): number {
  const d = process.cpuUsage(start);
  return (d.user + d.system) / 1000;
}

/** What {@link countStoreCalls} counts since its last {@link StoreCounter.reset}. */
export interface StoreCounter {
  /** Event appends. */
  appends: number;
  /** Event reads. */
  reads: number;
  /** SQLite write transactions: appends, and the journal's own flushes. */
  readonly transactions: number;
  reset(): void;
}

/** Counts the event store's appends and reads, and its SQLite write transactions. */
export function countStoreCalls(runtime: LocalRuntime): StoreCounter {
  let since = runtime.store.transactions;
  const counter: StoreCounter = {
    appends: 0,
    reads: 0,
    get transactions() {
      return runtime.store.transactions - since;
    },
    reset() {
      counter.appends = 0;
      counter.reads = 0;
      since = runtime.store.transactions;
    },
  };
  const append = runtime.store.append.bind(runtime.store);
  const read = runtime.store.read.bind(runtime.store);
  runtime.store.append = (...args) => {
    counter.appends += 1;
    return append(...args);
  };
  runtime.store.read = (...args) => {
    counter.reads += 1;
    return read(...args);
  };
  return counter;
}
