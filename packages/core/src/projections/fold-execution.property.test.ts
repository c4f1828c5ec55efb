import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  actionExecutionId,
  actionFailed,
  actionProgress,
  actionStarted,
  actionSucceeded,
  approvalDecided,
  approvalRequested,
  executionFailed,
  executionStopped,
  executionStopping,
  executionSucceeded,
  executionSuperseded,
  type NewEvent,
  type PipewrightEvent,
  pipelineExecutionStarted,
  stageFailed,
  stageRetried,
  stageStarted,
  stageSucceeded,
  stageWaiting,
} from '../events/index.ts';
import type { Action, Pipeline } from '../model/pipeline.ts';
import { initialExecutionView } from './execution-view.ts';
import { applyExecutionEvent, foldExecution } from './fold-execution.ts';

/** A small generator model: stages × actions, and a tape of choices the simulation reads. */
const modelArb = fc.record({
  stages: fc.array(fc.array(fc.boolean(), { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 3 }),
  choices: fc.array(fc.nat({ max: 9 }), { maxLength: 80 }),
});
type Model = typeof modelArb extends fc.Arbitrary<infer T> ? T : never;

const X = 'x1';
const user = { kind: 'user' as const, id: 'op' };

function pipelineOf(model: Model): Pipeline {
  return {
    name: 'p',
    executionMode: 'SUPERSEDED',
    pipelineType: 'V2',
    variables: [],
    triggers: [],
    stages: model.stages.map((actions, s) => ({
      name: `S${s}`,
      actions: actions.map(
        (isApproval, a): Action => ({
          name: `A${a}`,
          actionTypeId: isApproval
            ? { category: 'Approval', owner: 'AWS', provider: 'Manual', version: '1' }
            : { category: 'Build', owner: 'AWS', provider: 'Commands', version: '1' },
          runOrder: 1,
          configuration: {},
          inputArtifacts: [],
          outputArtifacts: [],
          namespace: `N${s}${a}`,
        }),
      ),
    })),
  };
}

/** Simulates one valid execution stream from the model's choices. */
function simulate(model: Model): PipewrightEvent[] {
  let cursor = 0;
  let clock = 0;
  const pick = (n: number) => (model.choices[cursor++] ?? 0) % n;
  const at = () => {
    const t = clock++;
    return `2026-01-01T${String(Math.floor(t / 3600)).padStart(2, '0')}:${String(Math.floor(t / 60) % 60).padStart(2, '0')}:${String(t % 60).padStart(2, '0')}.000Z`;
  };
  const out: NewEvent<PipewrightEvent>[] = [];
  const c = { executionId: X };
  out.push(
    pipelineExecutionStarted({
      ...c,
      at: at(),
      pipelineName: 'p',
      pipelineExecutionId: X,
      pipelineVersion: 1,
      executionMode: 'SUPERSEDED',
      executionType: 'STANDARD',
      trigger: { triggerType: 'StartPipelineExecution' },
      variables: [],
      sourceRevisions: [],
    }),
  );
  stages: for (const [s, actions] of model.stages.entries()) {
    const stageName = `S${s}`;
    if (pick(4) === 0)
      out.push(stageWaiting({ ...c, at: at(), stageName, stageAttempt: 0, gate: 'Lock', reason: 'locked' }));
    if (pick(8) === 0) {
      out.push(executionSuperseded({ ...c, at: at(), supersededBy: 'x2', stageName }));
      return withSeq(out);
    }
    out.push(stageStarted({ ...c, at: at(), stageName, stageAttempt: 0 }));
    let toRun = actions.map((_, a) => a);
    let lastAttempt = 0;
    for (let stageAttempt = 0; ; stageAttempt++) {
      lastAttempt = stageAttempt;
      const failed: number[] = [];
      for (const a of toRun) {
        const ref = { ...c, stageName, actionName: `A${a}`, stageAttempt, attempt: 1 };
        const id = { ...ref, actionExecutionId: actionExecutionId(X, stageName, `A${a}`, stageAttempt, 1) };
        out.push(
          actionStarted({
            ...id,
            at: at(),
            resolvedConfiguration: {},
            inputArtifacts: [],
            namespace: `N${s}${a}`,
          }),
        );
        if (pick(10) === 0) {
          out.push(executionStopping({ ...c, at: at(), actor: user, abandon: true }));
          out.push(executionStopped({ ...c, at: at() }));
          return withSeq(out);
        }
        if (pick(3) === 0) out.push(actionProgress({ ...id, at: at(), reportId: 'r', summary: 'working' }));
        const ok = pick(3) !== 0;
        if (actions[a] === true) {
          out.push(
            approvalRequested({
              ...id,
              at: at(),
              approvalId: `ap-${s}-${a}-${stageAttempt}`,
              expiresAt: at(),
              notified: [],
            }),
          );
          out.push(
            approvalDecided({
              ...id,
              at: at(),
              actor: user,
              approvalId: `ap-${s}-${a}-${stageAttempt}`,
              status: ok ? 'Approved' : 'Rejected',
            }),
          );
        }
        if (ok) {
          out.push(
            actionSucceeded({
              ...id,
              at: at(),
              outputArtifacts: [
                {
                  name: `O${s}${a}`,
                  uri: `file:///o/${s}/${a}/${stageAttempt}`,
                  sha256: 'ab',
                  size: stageAttempt,
                },
              ],
              outputVariables: { V: `${stageAttempt}` },
            }),
          );
        } else {
          out.push(
            actionFailed({ ...id, at: at(), error: { code: 'JobFailed', message: 'no' }, retryable: true }),
          );
          failed.push(a);
        }
      }
      if (failed.length === 0) break;
      out.push(
        stageFailed({
          ...c,
          at: at(),
          stageName,
          stageAttempt,
          error: { code: 'JobFailed', message: 'failed' },
        }),
      );
      const decision = pick(4);
      if (decision === 0 || stageAttempt >= 2) {
        if (pick(2) === 0)
          out.push(
            executionFailed({
              ...c,
              at: at(),
              stageName,
              error: { code: 'StageFailed', message: 'gave up' },
            }),
          );
        else {
          out.push(executionStopping({ ...c, at: at(), actor: user, abandon: false, reason: 'enough' }));
          out.push(executionStopped({ ...c, at: at() }));
        }
        break stages;
      }
      const retryMode = decision === 1 ? 'ALL_ACTIONS' : 'FAILED_ACTIONS';
      out.push(
        stageRetried({ ...c, at: at(), actor: user, stageName, stageAttempt: stageAttempt + 1, retryMode }),
      );
      toRun = retryMode === 'ALL_ACTIONS' ? actions.map((_, a) => a) : failed;
    }
    out.push(stageSucceeded({ ...c, at: at(), stageName, stageAttempt: lastAttempt }));
    if (s === model.stages.length - 1) out.push(executionSucceeded({ ...c, at: at() }));
  }
  return withSeq(out);
}

function withSeq(events: NewEvent<PipewrightEvent>[]): PipewrightEvent[] {
  return events.map((e, i) => ({ ...e, seq: i + 1 }) as PipewrightEvent);
}

const streamArb = modelArb.map((model) => ({ pipeline: pipelineOf(model), events: simulate(model) }));

describe('foldExecution (properties)', () => {
  it('folds every prefix of a valid stream without throwing, to a known status', () => {
    fc.assert(
      fc.property(streamArb, ({ pipeline, events }) => {
        for (let n = 0; n <= events.length; n++) {
          const view = foldExecution(events.slice(0, n), pipeline);
          expect([
            'NotStarted',
            'InProgress',
            'Stopping',
            'Stopped',
            'Succeeded',
            'Failed',
            'Superseded',
            'Cancelled',
          ]).toContain(view.status);
          expect(view.lastSeq).toBe(n);
        }
      }),
    );
  });

  it('is deterministic: the same events give deep-equal views', () => {
    fc.assert(
      fc.property(streamArb, ({ pipeline, events }) => {
        expect(foldExecution(structuredClone(events), pipeline)).toStrictEqual(
          foldExecution(events, pipeline),
        );
      }),
    );
  });

  it('changes nothing when events are delivered again anywhere later in the stream', () => {
    fc.assert(
      fc.property(
        streamArb,
        fc.array(fc.tuple(fc.nat(), fc.nat()), { minLength: 1, maxLength: 10 }),
        ({ pipeline, events }, duplicates) => {
          // Prepare: copy event i to a later position j (a redelivery carries the same id and seq)
          const stream: PipewrightEvent[] = [...events];
          for (const [i, j] of duplicates) {
            const original = events[i % events.length] as PipewrightEvent;
            const from = stream.indexOf(original);
            const to = from + 1 + (j % (stream.length - from));
            stream.splice(to, 0, structuredClone(original));
          }
          // Act / Assess
          expect(foldExecution(stream, pipeline)).toStrictEqual(foldExecution(events, pipeline));
        },
      ),
    );
  });

  it('gives the same view applied one event at a time as folded at once', () => {
    fc.assert(
      fc.property(streamArb, ({ pipeline, events }) => {
        const incremental = events.reduce(applyExecutionEvent, initialExecutionView(pipeline));
        expect(incremental).toStrictEqual(foldExecution(events, pipeline));
      }),
    );
  });

  it('skips events of unknown types wherever they appear', () => {
    fc.assert(
      fc.property(streamArb, fc.nat(), ({ pipeline, events }, where) => {
        const i = where % (events.length + 1);
        const future = {
          id: 'future',
          stream: `execution-${X}`,
          seq: 1000,
          type: 'FromTheFuture',
          at: events[0]?.at ?? '',
          data: {},
          unknown: true as const,
        };
        const withUnknown = [...events.slice(0, i), future, ...events.slice(i)];
        expect(foldExecution(withUnknown, pipeline)).toStrictEqual(foldExecution(events, pipeline));
      }),
    );
  });

  it('keeps only the statuses CodePipeline knows on stages and actions', () => {
    fc.assert(
      fc.property(streamArb, ({ pipeline, events }) => {
        const view = foldExecution(events, pipeline);
        for (const stage of view.stages) {
          expect([
            'NotStarted',
            'InProgress',
            'Succeeded',
            'Failed',
            'Stopped',
            'Stopping',
            'Skipped',
            'Cancelled',
          ]).toContain(stage.status);
          for (const action of stage.actions) {
            expect(['NotStarted', 'InProgress', 'Succeeded', 'Failed', 'Abandoned']).toContain(action.status);
          }
        }
        if (view.status === 'Succeeded')
          expect(view.stages.every((s) => s.status === 'Succeeded')).toBe(true);
      }),
    );
  });
});
