/**
 * `node bench/engine.bench.ts`: the engine on the local runtime (SQLite event log in a temp
 * directory, the `states` runtime, real workspaces and log stores) with a no-op provider, so
 * the figures are Pipewright's own cost per action and per execution. Also the SQLite event
 * store's append rate and the projection's fold rate. Prints figures; asserts nothing.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import {
  type EventRecord,
  executionStream,
  foldExecution,
  type NewEventRecord,
  parseStoredEvent,
} from '@pipewright/core';
import { type ActionProvider, readExecution } from '@pipewright/engine';
import { type LocalRuntime, openLocalRuntime, SqliteEventStore } from '@pipewright/local';
import {
  countStoreCalls,
  cpuMs,
  noopAction,
  noopProvider,
  pipelineOf,
  quantile,
} from './engine-bench-support.ts';

const dirs: string[] = [];
async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'pw-bench-engine-'));
  dirs.push(dir);
  return dir;
}

async function runtimeWith(providers: ActionProvider[]): Promise<LocalRuntime> {
  const dir = await tempDir();
  return openLocalRuntime({ stateDir: join(dir, '.pipewright'), failurePolicy: 'fail', providers });
}

async function runOne(runtime: LocalRuntime, pipeline: string): Promise<string> {
  const { executionId } = await runtime.engine.start({ pipeline });
  const view = await runtime.waitForExecution(executionId);
  if (view.status !== 'Succeeded') throw new Error(`execution ${executionId} ended ${view.status}`);
  return executionId;
}

function gc(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

const ms = (n: number) => `${n.toFixed(2)} ms`;
const rate = (n: number) => Math.round(n).toLocaleString('en-US');
const figures: Record<string, string>[] = [];
/** What the targets table compares. */
const sequential = {
  median: Number.NaN,
  p99: Number.NaN,
  appendsPerAction: Number.NaN,
  transactionsPerAction: Number.NaN,
};
const measured = {
  executionsPerSecond: Number.NaN,
  fold: Number.NaN,
  read: Number.NaN,
  appendUs: Number.NaN,
};

// 1. Orchestration overhead per action: one stage of N sequential no-op actions; the gap
// between consecutive provider run() calls is the engine + state machine + SQLite cost of
// finishing one action and starting the next.
{
  const N = 50;
  const WARMUP = 2;
  const MEASURED = 12;
  const calls = new Map<string, number[]>();
  const runtime = await runtimeWith([
    noopProvider((id, at) => {
      const list = calls.get(id) ?? [];
      list.push(at);
      calls.set(id, list);
    }),
  ]);
  const actions = Array.from({ length: N }, (_, i) => noopAction(`A${i + 1}`, i + 1));
  const pipeline = await runtime.addPipeline(pipelineOf('sequential', [{ name: 'Only', actions }]), '.');
  const gaps: number[] = [];
  const byPosition: number[][] = Array.from({ length: N - 1 }, () => []);
  const appends = countStoreCalls(runtime);
  let cpu: NodeJS.CpuUsage | undefined;
  for (let r = 0; r < WARMUP + MEASURED; r++) {
    if (r === WARMUP) {
      appends.reset();
      cpu = process.cpuUsage();
    }
    const id = await runOne(runtime, pipeline.name);
    const times = calls.get(id) ?? [];
    if (times.length !== N) throw new Error(`expected ${N} runs, saw ${times.length}`);
    if (r < WARMUP) continue;
    for (let i = 1; i < N; i++) {
      const gap = (times[i] ?? 0) - (times[i - 1] ?? 0);
      gaps.push(gap);
      byPosition[i - 1]?.push(gap);
    }
  }
  const cpuPerAction = cpuMs(cpu) / (MEASURED * N);
  sequential.appendsPerAction = appends.appends / (MEASURED * N);
  const readsPerAction = appends.reads / (MEASURED * N);
  sequential.transactionsPerAction = appends.transactions / (MEASURED * N);
  await runtime.close();
  gaps.sort((a, b) => a - b);
  const early = byPosition
    .slice(0, 9)
    .flat()
    .sort((a, b) => a - b);
  const late = byPosition
    .slice(-9)
    .flat()
    .sort((a, b) => a - b);
  const mean = gaps.reduce((s, g) => s + g, 0) / gaps.length;
  console.log(`\norchestration overhead per action (1 stage × ${N} sequential no-op actions)`);
  console.table({
    'all gaps': {
      samples: gaps.length,
      median: ms(quantile(gaps, 0.5)),
      p99: ms(quantile(gaps, 0.99)),
      mean: ms(mean),
      max: ms(gaps.at(-1) ?? Number.NaN),
    },
    'actions 2–10': {
      samples: early.length,
      median: ms(quantile(early, 0.5)),
      p99: ms(quantile(early, 0.99)),
    },
    [`actions ${N - 8}–${N}`]: {
      samples: late.length,
      median: ms(quantile(late, 0.5)),
      p99: ms(quantile(late, 0.99)),
    },
  });
  sequential.median = quantile(gaps, 0.5);
  sequential.p99 = quantile(gaps, 0.99);
  figures.push({
    figure: 'overhead per action (sequential)',
    value: `median ${ms(quantile(gaps, 0.5))}, p99 ${ms(quantile(gaps, 0.99))}; CPU ${ms(cpuPerAction)} per action; ${sequential.appendsPerAction.toFixed(1)} event appends, ${sequential.transactionsPerAction.toFixed(1)} SQLite transactions and ${readsPerAction.toFixed(1)} reads per action`,
  });
}
gc();

// 2. Executions per second: 4 stages × 2 parallel no-op actions, 50 executions at once.
const CONCURRENT = 50;
const ROUNDS = 4;
const wide = await runtimeWith([noopProvider()]);
const widePipeline = await wide.addPipeline(
  pipelineOf(
    'four-by-two',
    Array.from({ length: 4 }, (_, s) => ({
      name: `Stage${s + 1}`,
      actions: [noopAction('Left', 1), noopAction('Right', 1)],
    })),
  ),
  '.',
);
const executionIds: string[] = [];
{
  async function round(): Promise<{ wall: number; latencies: number[] }> {
    const started = performance.now();
    const latencies = await Promise.all(
      Array.from({ length: CONCURRENT }, async () => {
        const t0 = performance.now();
        executionIds.push(await runOne(wide, widePipeline.name));
        return performance.now() - t0;
      }),
    );
    return { wall: performance.now() - started, latencies };
  }
  await round(); // warm-up
  let wall = 0;
  const latencies: number[] = [];
  const cpu = process.cpuUsage();
  for (let r = 0; r < ROUNDS; r++) {
    const result = await round();
    wall += result.wall;
    latencies.push(...result.latencies);
  }
  const executions = CONCURRENT * ROUNDS;
  const cpuPerExecution = cpuMs(cpu) / executions;
  latencies.sort((a, b) => a - b);
  const perSecond = (executions * 1000) / wall;
  measured.executionsPerSecond = perSecond;
  console.log(
    `\nexecutions of a 4-stage × 2-action no-op pipeline, ${CONCURRENT} at once (${ROUNDS} rounds)`,
  );
  console.table({
    [`${executions} executions`]: {
      'executions/s': perSecond.toFixed(1),
      'actions/s': rate(perSecond * 8),
      'wall ms/execution': ms(wall / executions),
      'latency median': ms(quantile(latencies, 0.5)),
      'latency p99': ms(quantile(latencies, 0.99)),
    },
  });
  figures.push({
    figure: `executions/s (4×2 no-op, ${CONCURRENT} concurrent)`,
    value: `${perSecond.toFixed(1)}/s, ${ms(wall / executions)} wall and ${ms(cpuPerExecution)} CPU per execution`,
  });
}
gc();

// 3. Projection rebuild: fold the stored events of the executions above.
{
  const records: EventRecord[][] = [];
  for (const id of executionIds) records.push(await wide.store.read(executionStream(id)));
  const events = records.map((rs) => rs.map((r) => parseStoredEvent(r)));
  const total = events.reduce((s, e) => s + e.length, 0);
  const bytes = records.flat().reduce((s, r) => s + JSON.stringify(r.data).length, 0);
  const REPEAT = 10;
  const time = (work: () => void | Promise<void>) => async () => {
    await work(); // warm-up
    const t0 = performance.now();
    for (let i = 0; i < REPEAT; i++) await work();
    return (performance.now() - t0) / REPEAT;
  };
  const fold = await time(() => {
    for (const e of events) {
      const view = foldExecution(e, widePipeline);
      if (view.status !== 'Succeeded') throw new Error('fold disagrees with the run');
    }
  })();
  const parseFold = await time(() => {
    for (const rs of records)
      foldExecution(
        rs.map((r) => parseStoredEvent(r)),
        widePipeline,
      );
  })();
  const read = await time(async () => {
    for (const id of executionIds) await readExecution(wide.store, id);
  })();
  console.log(
    `\nprojection rebuild: ${executionIds.length} executions, ${total} events (${(total / executionIds.length).toFixed(0)} each, mean data ${(bytes / total).toFixed(0)} B)`,
  );
  console.table({
    'foldExecution (parsed events)': { 'events/s': rate((total * 1000) / fold), 'ms per pass': ms(fold) },
    'parseStoredEvent + fold': { 'events/s': rate((total * 1000) / parseFold), 'ms per pass': ms(parseFold) },
    'readExecution (read + parse + fold)': {
      'events/s': rate((total * 1000) / read),
      'ms per pass': ms(read),
    },
  });
  measured.fold = (total * 1000) / fold;
  measured.read = (total * 1000) / read;
  figures.push({
    figure: 'projection rebuild (foldExecution)',
    value: `${rate((total * 1000) / fold)} events/s`,
  });
  figures.push({
    figure: 'readExecution (SQLite read + parse + fold)',
    value: `${rate((total * 1000) / read)} events/s`,
  });
  await wide.close();
}
gc();

// 4. Events appended per second to the SQLite event store (WAL, synchronous = NORMAL).
{
  const dir = await tempDir();
  const store = SqliteEventStore.open(join(dir, 'events.db'));
  const at = new Date(0).toISOString();
  let n = 0;
  const event = (): NewEventRecord => ({
    id: `e${++n}`,
    type: 'ActionExecutionSucceeded',
    at,
    data: {
      stageName: 'Build',
      actionName: 'Compile',
      stageAttempt: 1,
      attempt: 1,
      actionExecutionId: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
      outputVariables: { COMMIT: 'abc123' },
      outputArtifacts: [],
    },
  });
  const EVENTS = 10_000;
  async function measure(streams: number, batch: number, prefix: string): Promise<number> {
    const versions = new Array<number>(streams).fill(0);
    const t0 = performance.now();
    for (let i = 0; i < EVENTS / batch; i++) {
      const s = i % streams;
      const events = Array.from({ length: batch }, event);
      const { version } = await store.append(`execution-${prefix}-${s}`, events, {
        expectedVersion: versions[s] ?? 0,
        pipeline: 'bench',
      });
      versions[s] = version;
    }
    return (EVENTS * 1000) / (performance.now() - t0);
  }
  await measure(1, 1, 'warm-up');
  const one = await measure(1, 1, 'one');
  const ten = await measure(10, 1, 'ten');
  const batched = await measure(1, 10, 'batched');
  measured.appendUs = 1e6 / one;
  await store.close();
  console.log(
    `\nevents appended to the SQLite event store (${rate(EVENTS)} events each, ~190 B of data per event)`,
  );
  console.table({
    '1 stream, 1 event per append': { 'events/s': rate(one), 'µs per append': (1e6 / one).toFixed(1) },
    '10 streams interleaved, 1 event per append': {
      'events/s': rate(ten),
      'µs per append': (1e6 / ten).toFixed(1),
    },
    '1 stream, 10 events per append': {
      'events/s': rate(batched),
      'µs per append': ((1e6 / batched) * 10).toFixed(1),
    },
  });
  figures.push({
    figure: 'events appended/s (1 per append; 10 streams; batches of 10)',
    value: `${rate(one)}; ${rate(ten)}; ${rate(batched)}`,
  });
}

for (const dir of dirs) await rm(dir, { recursive: true, force: true });
console.log('\nsummary');
console.table(figures);

// The targets, against this run. The floor is what the SQLite writes of one action
// cost at this run's append cost: its event appends, and all its transactions (appends and the journal's own).
const floor = (sequential.appendsPerAction * measured.appendUs) / 1000;
const floorWithJournal = (sequential.transactionsPerAction * measured.appendUs) / 1000;
const verdict = (ok: boolean) => (ok ? 'met' : 'not met');
console.log(
  `\ntargets (SQLite append in this run: ${measured.appendUs.toFixed(1)} µs; floor per action ≈ ${ms(floor)} for its ${sequential.appendsPerAction.toFixed(1)} event appends, ${ms(floorWithJournal)} for all its ${sequential.transactionsPerAction.toFixed(1)} SQLite transactions)`,
);
console.table([
  {
    target: 'overhead per action, median ≤ 0.5 ms',
    value: ms(sequential.median),
    verdict: verdict(sequential.median <= 0.5),
  },
  {
    target: 'overhead per action, p99 ≤ 5 ms',
    value: ms(sequential.p99),
    verdict: verdict(sequential.p99 <= 5),
  },
  {
    target: '≥ 300 executions/s (4×2 no-op, 50 at once)',
    value: measured.executionsPerSecond.toFixed(1),
    verdict: verdict(measured.executionsPerSecond >= 300),
  },
  {
    target: 'foldExecution ≥ 250,000 events/s',
    value: rate(measured.fold),
    verdict: verdict(measured.fold >= 250_000),
  },
  {
    target: 'readExecution ≥ 150,000 events/s',
    value: rate(measured.read),
    verdict: verdict(measured.read >= 150_000),
  },
]);
