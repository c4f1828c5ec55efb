import { type ExecutionView, initialExecutionView } from '@pipewright/core';
import { fakeAction, testPipeline } from '@pipewright/core/testing';
import { describe, expect, it } from 'vitest';
import { failedWaitingView } from './failed-stream.test-helper.ts';
import { ganttChart, ganttRows } from './gantt.ts';

const T0 = Date.parse('2026-01-09T10:00:00.000Z');
const iso = (s: number) => new Date(T0 + s * 1000).toISOString();

function attempt(
  stageAttempt: number,
  attempt: number,
  status: 'Succeeded' | 'Failed' | 'InProgress',
  from: number,
  to?: number,
) {
  return {
    actionExecutionId: `a-${stageAttempt}-${attempt}`,
    stageAttempt,
    attempt,
    status,
    startedAt: iso(from),
    updatedAt: iso(to ?? from),
    ...(to === undefined ? {} : { endedAt: iso(to) }),
    resolvedConfiguration: {},
    inputArtifacts: [],
    outputArtifacts: [],
    outputVariables: {},
  };
}

/** Source (0–2 s) → Build: Compile failed (2–5 s), retried (6–10 s); Deploy not started. */
function view(): ExecutionView {
  const v = initialExecutionView(
    testPipeline([
      { name: 'Source', actions: [fakeAction('Checkout', 'Source')] },
      { name: 'Build', actions: [fakeAction('Compile', 'Build')] },
      { name: 'Deploy', actions: [fakeAction('Ship', 'Deploy')] },
    ]),
  );
  v.status = 'Succeeded';
  v.startedAt = iso(0);
  v.endedAt = iso(10);
  const [source, build] = v.stages;
  if (source === undefined || build === undefined) throw new Error('stages expected');
  source.status = 'Succeeded';
  source.startedAt = iso(0);
  source.endedAt = iso(2);
  source.actions = [
    { actionName: 'Checkout', status: 'Succeeded', attempts: [attempt(0, 1, 'Succeeded', 0, 2)] },
  ];
  build.status = 'Succeeded';
  build.startedAt = iso(6);
  build.endedAt = iso(10);
  build.actions = [
    {
      actionName: 'Compile',
      status: 'Succeeded',
      attempts: [attempt(0, 1, 'Failed', 2, 5), attempt(1, 1, 'Succeeded', 6, 10)],
    },
  ];
  return v;
}

describe('gantt', () => {
  it('draws a stage from its first run to its last, and every attempt of an action', () => {
    const rows = ganttRows(view(), T0 + 60_000);
    expect(
      rows.map((r) => [
        r.label,
        r.segments.map((s) => [(s.start - T0) / 1000, (s.end - T0) / 1000, s.status]),
      ]),
    ).toEqual([
      ['Source', [[0, 2, 'Succeeded']]],
      ['Checkout', [[0, 2, 'Succeeded']]],
      ['Build', [[2, 10, 'Succeeded']]],
      [
        'Compile',
        [
          [2, 5, 'Failed'],
          [6, 10, 'Succeeded'],
        ],
      ],
      ['Deploy', []],
      ['Ship', []],
    ]);
  });

  it('places bars on one axis from the execution start and says each row in words', () => {
    const markup = ganttChart(view(), new Date(T0 + 60_000)).toString();
    expect(markup).toContain(
      'aria-label="Compile: Succeeded, started 2.00 s after the execution, ran 8.00 s over 2 attempts"',
    );
    expect(markup).toContain('<rect x="600.0" y="2" width="400.0" height="6" rx="1" class="bar-Succeeded">');
    expect(markup).toContain('<rect x="200.0" y="2" width="300.0" height="6" rx="1" class="bar-Failed">');
    expect(markup).toContain('aria-label="Ship: Not started"');
  });

  it('runs a running execution to now', () => {
    const v = view();
    v.status = 'InProgress';
    delete v.endedAt;
    const build = v.stages[1];
    if (build === undefined) throw new Error('stage expected');
    build.status = 'InProgress';
    delete build.endedAt;
    build.actions = [
      { actionName: 'Compile', status: 'InProgress', attempts: [attempt(0, 1, 'InProgress', 2)] },
    ];
    const rows = ganttRows(v, T0 + 20_000);
    expect(rows.find((r) => r.label === 'Compile')?.segments).toEqual([
      { start: T0 + 2_000, end: T0 + 20_000, status: 'InProgress' },
    ]);
    expect(ganttChart(v, new Date(T0 + 20_000)).toString()).toContain('0 → 20.0 s (running)');
  });

  it('ends the axis of a failed execution waiting for a decision where its failed stage ended, not at now', () => {
    // Prepare: started 11:00:00, Build failed at 11:00:30, no endedAt; now is a day later.
    const v = failedWaitingView();
    const now = new Date('2026-01-06T11:00:00.000Z');
    // Act
    const markup = ganttChart(v, now).toString();
    const rows = ganttRows(v, now.getTime());
    // Assess
    expect(markup).toContain('0 → 30.0 s</span>');
    expect(markup).not.toContain('(running)');
    expect(Math.max(...rows.flatMap((r) => r.segments.map((s) => s.end)))).toBe(
      Date.parse('2026-01-05T11:00:30.000Z'),
    );
  });
});
