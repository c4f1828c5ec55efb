/**
 * `node bench/dashboard.bench.ts`: the dashboard with 1,000 executions of history in a SQLite
 * event log (the local runtime, as `pipewright serve` runs it).
 *
 * 1. Server time to render the pipeline view and the history page (first request of a fresh
 *    server, then warm), with the runtime's change feed (`pipewright serve`) and without it
 *    (the HTTP Lambda: every request reads the store from the last event it folded).
 * 2. The time from an event append to its Server-Sent Events message reaching Chromium's page
 *    (a MutationObserver's timestamp in the page minus the append's), idle and while 100 other
 *    executions append 1,000 events a second, with the pipeline view and the overview open in
 *    other tabs.
 *
 * The history is seeded from 20 real executions (4 stages, 6 no-op actions; some fail in Test)
 * copied to 1,000 with new ids and earlier times. Prints figures; asserts nothing.
 */
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { serve } from '@hono/node-server';
import { actionProgress, type EventRecord, executionStream } from '@pipewright/core';
import { approvalKey, openLocalRuntime } from '@pipewright/local';
import { createDashboard, signSession, type WebDeps } from '@pipewright/web';
import { Hono } from 'hono';
import { chromium } from 'playwright-core';
import { CHROMIUM, CHROMIUM_LAUNCH } from '../test/browser/browser-support.ts';
import { copy, ms, noopProvider, PIPELINE, pause, seedTriggers, stats } from './dashboard-bench-support.ts';

const HISTORY = 1_000;
const TEMPLATES = 20;
const LOADED = 100;
const TOKEN = 'bench-token-0123456789abcdef';

const dir = await mkdtemp(join(tmpdir(), 'pw-bench-dashboard-'));

const runtime = await openLocalRuntime({
  stateDir: join(dir, '.pipewright'),
  failurePolicy: 'fail',
  providers: [noopProvider()],
});
const pipeline = await runtime.addPipeline(PIPELINE, dir);

// Seed: 20 real executions, copied to 1,000 with new ids, spread over the previous days.
const templates: EventRecord[][] = [];
for (let i = 0; i < TEMPLATES; i++) {
  const { executionId } = await runtime.engine.start({ pipeline: pipeline.name });
  await runtime.waitForExecution(executionId);
  templates.push(await runtime.store.read(executionStream(executionId)));
}
const seedStart = performance.now();
for (let i = 0; i < HISTORY - TEMPLATES; i++) {
  const template = templates[i % TEMPLATES] ?? [];
  const id = randomUUID();
  await runtime.store.append(executionStream(id), copy(template, id, (i + 1) * 97_000), {
    expectedVersion: 0,
    pipeline: pipeline.name,
  });
}
await seedTriggers(runtime, pipeline.name, 300);
const events = (
  await Promise.all(
    (
      await runtime.store.listExecutions(pipeline.name, { limit: 1000 })
    ).executions.map((e) => runtime.store.version(e.stream)),
  )
).reduce((a, b) => a + b, 0);
console.log(
  `\nseeded ${HISTORY} executions (${events} events, ${(events / HISTORY).toFixed(0)} each) and 300 triggers in ${(
    (performance.now() - seedStart) / 1000
  ).toFixed(1)} s`,
);

function depsWith(changes: boolean): WebDeps {
  return {
    store: runtime.store,
    logs: runtime.logs,
    pipelines: {
      names: () => [pipeline.name],
      get: (name) => (name === pipeline.name ? pipeline : undefined),
    },
    approvalKey: approvalKey(join(dir, '.pipewright')),
    apiToken: TOKEN,
    control: {
      start: (r) => runtime.engine.start(r),
      stop: (id, input) => runtime.engine.stop(id, input),
      settle: (id) => runtime.engine.settleReport(id),
    },
    ...(changes ? { changes: runtime.changes } : {}),
  };
}
const cookie = `pw_session=${signSession(TOKEN, 'bench', new Date())}`;

// 1. Server time to render.
const figures: Record<string, string>[] = [];
{
  const pages = {
    'pipeline view': `/pipelines/${pipeline.name}`,
    'history, first page': `/pipelines/${pipeline.name}/history`,
    'history, status=Failed': `/pipelines/${pipeline.name}/history?status=Failed`,
    'history, branch=none (scans all 1,000)': `/pipelines/${pipeline.name}/history?branch=none`,
    execution: '',
  };
  // JIT warm-up on a dashboard of its own, so "first request" measures a cold cache, not a cold process.
  {
    const { routes, hub } = createDashboard(depsWith(true));
    for (const path of Object.values(pages)) {
      if (path !== '') await (await routes.request(path, { headers: { cookie } })).text();
    }
    hub.close();
  }
  const rows: Record<string, Record<string, string>> = {};
  for (const changes of [true, false]) {
    for (const [name, path] of Object.entries(pages)) {
      const { routes, hub } = createDashboard(depsWith(changes));
      const target =
        path === '' ? `/pipelines/${pipeline.name}/executions/${templates[0]?.[0]?.stream.slice(10)}` : path;
      const time = async () => {
        const t0 = performance.now();
        const res = await routes.request(target, { headers: { cookie } });
        await res.text();
        if (res.status !== 200) throw new Error(`${target} answered ${res.status}`);
        return performance.now() - t0;
      };
      const cold = await time();
      const warm: number[] = [];
      for (let i = 0; i < 30; i++) warm.push(await time());
      const w = stats(warm);
      rows[`${name} (${changes ? 'serve: change feed' : 'Lambda: no feed'})`] = {
        'first request': ms(cold),
        'warm median': ms(w.median),
        'warm p95': ms(w.p95),
      };
      if (changes && name !== 'execution') {
        figures.push({
          figure: `render ${name}, ${HISTORY} executions`,
          value: `first ${ms(cold)}, warm median ${ms(w.median)}, p95 ${ms(w.p95)}`,
        });
      }
      hub.close();
    }
  }
  console.log(`\nserver time to render a page (${HISTORY} executions of history; 30 warm requests each)`);
  console.table(rows);
}

// 2. Append → SSE message in Chromium.
if (!existsSync(CHROMIUM)) {
  console.log(
    `\n${CHROMIUM} is missing: install Debian's chromium (apt-get install -y chromium) for the SSE figures`,
  );
} else {
  const dashboard = createDashboard(depsWith(true));
  const app = new Hono();
  app.route('/', dashboard.routes);
  const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
  await new Promise((ready) => server.once('listening', ready));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const browser = await chromium.launch(CHROMIUM_LAUNCH);
  const context = await browser.newContext();
  await context.addCookies([{ name: 'pw_session', value: cookie.slice('pw_session='.length), url: base }]);

  // A running execution: a copy of a template up to its Build action's start.
  const template = templates[1] ?? [];
  const upTo =
    template.findIndex(
      (r) => r.type === 'ActionStarted' && (r.data as { stageName?: string }).stageName === 'Build',
    ) + 1;
  const started = template[upTo - 1]?.data as { actionName: string; actionExecutionId: string };
  async function running(): Promise<{
    id: string;
    ref: {
      stageName: string;
      actionName: string;
      stageAttempt: number;
      attempt: number;
      actionExecutionId: string;
    };
  }> {
    const id = randomUUID();
    const from = template[0]?.stream.slice('execution-'.length) ?? '';
    await runtime.store.append(executionStream(id), copy(template, id, -1_000, upTo), {
      expectedVersion: 0,
      pipeline: pipeline.name,
    });
    return {
      id,
      ref: {
        stageName: 'Build',
        actionName: started.actionName,
        stageAttempt: 0,
        attempt: 1,
        actionExecutionId: started.actionExecutionId.replaceAll(from, id),
      },
    };
  }
  let report = 0;
  const progress = (id: string, ref: Awaited<ReturnType<typeof running>>['ref']) =>
    runtime.store.append(
      executionStream(id),
      [
        actionProgress({
          executionId: id,
          at: new Date().toISOString(),
          ...ref,
          reportId: `r-${++report}`,
          summary: `step ${report}`,
        }),
      ],
      { expectedVersion: 'any' },
    );

  const watched = await running();
  const page = await context.newPage();
  await page.goto(`${base}/pipelines/${pipeline.name}/executions/${watched.id}`);
  await page.waitForFunction(
    () => (globalThis as { pipewrightLive?: { state: string } }).pipewrightLive?.state === 'open',
  );
  await page.evaluate(() => {
    const g = globalThis as unknown as {
      seen: number[];
      document: { getElementById(id: string): unknown };
      MutationObserver: new (f: () => void) => { observe(n: unknown, o: unknown): void };
    };
    g.seen = [];
    new g.MutationObserver(() => g.seen.push(performance.timeOrigin + performance.now())).observe(
      g.document.getElementById('events'),
      { childList: true },
    );
  });
  async function measure(samples: number, gapMs: number): Promise<number[]> {
    const latencies: number[] = [];
    for (let i = 0; i < samples; i++) {
      const before = (await page.evaluate(
        () => (globalThis as unknown as { seen: number[] }).seen.length,
      )) as number;
      const t0 = performance.timeOrigin + performance.now();
      await progress(watched.id, watched.ref);
      await page.waitForFunction(
        (n) => (globalThis as unknown as { seen: number[] }).seen.length > n,
        before,
        { polling: 5, timeout: 10_000 },
      );
      const seen = (await page.evaluate(
        (n) => (globalThis as unknown as { seen: number[] }).seen[n],
        before,
      )) as number;
      latencies.push(seen - t0);
      await pause(gapMs);
    }
    return latencies;
  }
  await measure(5, 200); // warm-up
  const idle = stats(await measure(50, 200));

  // Load: 100 more running executions, each appending every 100 ms; the pipeline view and
  // the overview open in two more tabs.
  const others = await Promise.all(Array.from({ length: LOADED }, () => running()));
  const tabs = await Promise.all(
    [`/pipelines/${pipeline.name}`, '/'].map(async (path) => {
      const tab = await context.newPage();
      await tab.goto(`${base}${path}`);
      return tab;
    }),
  );
  let appended = 0;
  let loading = true;
  const load = (async () => {
    while (loading) {
      const t0 = performance.now();
      await Promise.all(others.map((o) => progress(o.id, o.ref)));
      appended += others.length;
      await pause(Math.max(0, 100 - (performance.now() - t0)));
    }
  })();
  await pause(1_000);
  const rendersBefore = dashboard.hub.renders;
  const appendedBefore = appended;
  const t0 = performance.now();
  const loaded = stats(await measure(50, 100));
  const seconds = (performance.now() - t0) / 1000;
  const renders = (dashboard.hub.renders - rendersBefore) / seconds;
  const eventsPerSecond = (appended - appendedBefore) / seconds;
  loading = false;
  await load;
  console.log(
    `\nappend → SSE message in Chromium (execution page; ${dashboard.hub.clients} browsers listening under load)`,
  );
  console.table({
    idle: { samples: idle.n, median: ms(idle.median), p95: ms(idle.p95) },
    [`${LOADED} executions appending (${Math.round(eventsPerSecond)} events/s)`]: {
      samples: loaded.n,
      median: ms(loaded.median),
      p95: ms(loaded.p95),
      'renders/s': renders.toFixed(1),
    },
  });
  figures.push({
    figure: 'append → SSE message in Chromium, idle',
    value: `median ${ms(idle.median)}, p95 ${ms(idle.p95)}`,
  });
  figures.push({
    figure: `append → SSE in Chromium, ${LOADED} executions appending ${Math.round(eventsPerSecond)} events/s`,
    value: `median ${ms(loaded.median)}, p95 ${ms(loaded.p95)} (${renders.toFixed(1)} renders/s for 3 views)`,
  });
  for (const tab of tabs) await tab.close();
  await browser.close();
  dashboard.hub.close();
  await new Promise((closed) => server.close(closed));
}

await runtime.close();
await rm(dir, { recursive: true, force: true });
console.log('\nsummary');
console.table(figures);
