import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type ExecutionEvent, parseEvent } from '../events/index.ts';
import type { Action, Pipeline } from '../model/pipeline.ts';
import { executionStream } from '../ports/event-store.ts';
import { foldExecution } from '../projections/fold-execution.ts';
import {
  type ActionResult,
  type Decision,
  decideAction,
  decideActionOutcome,
  decideFinish,
  decideGate,
  decideLeave,
  decideStageFailed,
  decideStart,
  type NewExecutionEvent,
  type StageFailurePolicy,
  type TaskPayload,
  type TaskReply,
} from './index.ts';

const X = 'x1';

const modelArb = fc.record({
  /** Per stage: the runOrder of each action. */
  stages: fc.array(fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 1, maxLength: 3 }), {
    minLength: 1,
    maxLength: 4,
  }),
  onFailure: fc.array(fc.constantFrom('none', 'FAILED_ACTIONS', 'ALL_ACTIONS'), {
    minLength: 4,
    maxLength: 4,
  }),
  policy: fc.constantFrom<StageFailurePolicy>('fail', 'wait'),
  /** Outcomes, in the order actions run: true = Succeeded. */
  outcomes: fc.array(fc.boolean(), { minLength: 1, maxLength: 40 }),
});
type Model = typeof modelArb extends fc.Arbitrary<infer T> ? T : never;

function pipelineOf(model: Model): Pipeline {
  return {
    name: 'p',
    executionMode: 'SUPERSEDED',
    pipelineType: 'V2',
    variables: [],
    triggers: [],
    stages: model.stages.map((runOrders, s) => {
      const retry = model.onFailure[s] ?? 'none';
      return {
        name: `S${s}`,
        actions: runOrders.map(
          (runOrder, a): Action => ({
            name: `A${a}`,
            actionTypeId: { category: 'Build', owner: 'AWS', provider: 'Fake', version: '1' },
            runOrder,
            configuration: { Run: '#{codepipeline.PipelineExecutionId}' },
            inputArtifacts: [],
            outputArtifacts: [],
          }),
        ),
        ...(retry === 'none'
          ? {}
          : { onFailure: { result: 'RETRY', retryConfiguration: { retryMode: retry } } }),
      };
    }),
  };
}

/** An event store in an array: ids already stored are skipped, as the real adapters do. */
class ArrayStore {
  readonly events: ExecutionEvent[] = [];
  readonly #ids = new Set<string>();

  /** Appends, returning how many events were new. */
  append(events: readonly NewExecutionEvent[]): number {
    let added = 0;
    for (const e of events) {
      if (this.#ids.has(e.id)) continue;
      this.#ids.add(e.id);
      this.events.push({ ...e, seq: this.events.length + 1, stream: executionStream(X) } as ExecutionEvent);
      added++;
    }
    return added;
  }
}

type Delivery =
  | { payload: TaskPayload; running?: ReadonlySet<string>; reply: TaskReply | undefined }
  | {
      outcome: Parameters<typeof decideActionOutcome>[2];
      result: ActionResult;
      reply: TaskReply | undefined;
    };

interface Run {
  store: ArrayStore;
  deliveries: Delivery[];
  /** Per action (`S0/A1`): how its latest run ended. */
  last: Map<string, 'Succeeded' | 'Failed'>;
  /** Events the first delivery of a task decided but the store already held (a lost fact). */
  collisions: string[];
  /** Appended by a redelivery right after the first delivery (must stay 0). */
  redeliveryAppends: number;
  replyMismatches: string[];
  pipeline: Pipeline;
  policy: StageFailurePolicy;
}

/** Runs the tasks in the compiled state machine's order, feeding each decision back into the store. */
function simulate(model: Model): Run {
  const pipeline = pipelineOf(model);
  const policy = model.policy;
  const store = new ArrayStore();
  const run: Run = {
    store,
    deliveries: [],
    last: new Map(),
    collisions: [],
    redeliveryAppends: 0,
    replyMismatches: [],
    pipeline,
    policy,
  };
  let clock = 0;
  let outcome = 0;
  const at = () => new Date(Date.UTC(2026, 0, 2) + 1000 * clock++).toISOString();
  const view = () => foldExecution(store.events, pipeline);
  const decide = (payload: TaskPayload, running: ReadonlySet<string>): Decision => {
    const v = view();
    const ctx = { at: at() };
    switch (payload.kind) {
      case 'gate':
        return decideGate(v, payload, ctx);
      case 'action':
        return decideAction(v, pipeline, payload, { ...ctx, running });
      case 'leave':
        return decideLeave(v, payload, ctx);
      case 'stageFailed':
        return decideStageFailed(v, pipeline, payload, { ...ctx, running, policy });
      case 'finish':
        return decideFinish(v, payload, ctx);
    }
  };
  /** First delivery, then an immediate redelivery that must change nothing. */
  const deliver = (payload: TaskPayload, running: ReadonlySet<string> = new Set()): Decision => {
    const d = decide(payload, running);
    const added = store.append(d.events);
    if (added !== d.events.length)
      run.collisions.push(`${payload.kind} ${JSON.stringify(d.events.map((e) => e.id))}`);
    // An action this process started is running while the task is delivered again: it waits.
    const again = decide(
      payload,
      d.run === undefined ? running : new Set([...running, d.run.actionExecutionId]),
    );
    run.redeliveryAppends += store.append(again.events);
    if (d.run === undefined && JSON.stringify(again.reply) !== JSON.stringify(d.reply)) {
      run.replyMismatches.push(
        `${payload.kind}: ${JSON.stringify(d.reply)} then ${JSON.stringify(again.reply)}`,
      );
    }
    run.deliveries.push({ payload, running, reply: d.reply });
    return d;
  };
  const common = { pipeline: 'p', executionId: X, taskToken: 't' };

  store.append(
    decideStart({
      pipeline,
      pipelineVersion: 1,
      executionId: X,
      at: at(),
      trigger: { triggerType: 'StartPipelineExecution' },
      overrides: {},
    }).events,
  );
  for (const stage of pipeline.stages) {
    const groups = [...new Set(stage.actions.map((a) => a.runOrder))].sort((a, b) => a - b);
    let attempt = 0;
    let enter = true;
    for (;;) {
      if (enter) {
        const g = deliver({ kind: 'gate', ...common, stage: stage.name, attempt });
        if (g.reply === undefined) return run;
      }
      let failure: TaskReply | undefined;
      for (const runOrder of groups) {
        for (const action of stage.actions.filter((a) => a.runOrder === runOrder)) {
          const payload: TaskPayload = {
            kind: 'action',
            ...common,
            stage: stage.name,
            action: action.name,
            attempt,
          };
          const d = deliver(payload);
          let reply = d.reply;
          if (d.run !== undefined) {
            const ok = model.outcomes[outcome++ % model.outcomes.length] ?? true;
            const result: ActionResult = ok
              ? { status: 'Succeeded', outputArtifacts: [], outputVariables: { N: String(outcome) } }
              : { status: 'Failed', error: { type: 'JobFailed', message: 'boom' } };
            const o = decideActionOutcome(view(), pipeline, d.run, result, { at: at() });
            store.append(o.events);
            run.deliveries.push({ outcome: d.run, result, reply: o.reply });
            reply = o.reply;
          }
          run.last.set(`${stage.name}/${action.name}`, reply?.kind === 'success' ? 'Succeeded' : 'Failed');
          if (reply?.kind === 'failure') failure = reply;
        }
        if (failure !== undefined) break;
      }
      if (failure === undefined) break;
      const f = deliver({
        kind: 'stageFailed',
        ...common,
        stage: stage.name,
        attempt,
        error: { Error: failure.kind === 'failure' ? failure.error : 'x', Cause: 'c' },
      });
      const decision = f.reply?.kind === 'success' ? f.reply.output.decision : undefined;
      if (decision === 'RETRY_FAILED_ACTIONS' || decision === 'RETRY_ALL_ACTIONS') {
        attempt++;
        enter = decision === 'RETRY_ALL_ACTIONS';
        continue;
      }
      return run;
    }
    deliver({ kind: 'leave', ...common, stage: stage.name, attempt });
  }
  deliver({ kind: 'finish', pipeline: 'p', executionId: X, attempt: 0 });
  return run;
}

describe('the deciders, driven in the state machine order', () => {
  it('never decide an event twice and store only valid events', () => {
    fc.assert(
      fc.property(modelArb, (model) => {
        const run = simulate(model);
        const ids = run.store.events.map((e) => e.id);
        expect(new Set(ids).size).toBe(ids.length);
        expect(run.collisions).toEqual([]);
        for (const event of run.store.events) expect(parseEvent(event)).toEqual(event);
      }),
    );
  });

  it('fold to Succeeded exactly when every action succeeded', () => {
    fc.assert(
      fc.property(modelArb, (model) => {
        const run = simulate(model);
        const view = foldExecution(run.store.events, run.pipeline);
        const all = run.pipeline.stages.flatMap((s) => s.actions.map((a) => `${s.name}/${a.name}`));
        const everySucceeded = all.every((key) => run.last.get(key) === 'Succeeded');
        expect(view.status === 'Succeeded').toBe(everySucceeded);
        if (!everySucceeded) {
          expect(view.status).toBe('Failed');
          expect(view.endedAt !== undefined).toBe(run.policy === 'fail');
        }
      }),
    );
  });

  it('append nothing new when an already handled task or outcome is delivered again', () => {
    fc.assert(
      fc.property(modelArb, (model) => {
        // Prepare
        const run = simulate(model);
        const before = run.store.events.length;
        // Act
        for (const [i, d] of run.deliveries.entries()) {
          const v = foldExecution(run.store.events, run.pipeline);
          const at = new Date(Date.UTC(2026, 1, 1) + i * 1000).toISOString();
          const again =
            'payload' in d
              ? d.payload.kind === 'gate'
                ? decideGate(v, d.payload, { at })
                : d.payload.kind === 'action'
                  ? decideAction(v, run.pipeline, d.payload, { at, running: new Set() })
                  : d.payload.kind === 'leave'
                    ? decideLeave(v, d.payload, { at })
                    : d.payload.kind === 'stageFailed'
                      ? decideStageFailed(v, run.pipeline, d.payload, {
                          at,
                          running: new Set(),
                          policy: run.policy,
                        })
                      : decideFinish(v, d.payload, { at })
              : decideActionOutcome(v, run.pipeline, d.outcome, d.result, { at });
          run.store.append(again.events);
        }
        // Assess
        expect(run.store.events.length).toBe(before);
        expect(run.redeliveryAppends).toBe(0);
        expect(run.replyMismatches).toEqual([]);
      }),
    );
  });
});
