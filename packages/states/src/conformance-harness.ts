/**
 * Runs one golden conformance case (`test/fixtures/asl/<case>.json`): a definition, an input,
 * a behaviour script per task function and optional operator steps, against a
 * {@link LocalStepFunctions} on a {@link SimulatedClock}. Returns what the case asserts on.
 *
 * @example
 * ```ts
 * const outcome = await runConformanceCase(JSON.parse(readFileSync(file, 'utf8')));
 * expect(outcome.status).toBe(fixture.expect.status);
 * ```
 */
import { SimulatedClock, settle } from './clock.ts';
import type { HistoryEvent } from './history.ts';
import { LocalStepFunctions } from './local-step-functions.ts';

/** What a task function does on one call. */
export interface TaskBehaviour {
  succeed?: unknown;
  fail?: { error: string; cause: string };
  /** The handler itself throws an Error with this name and message (for token tasks: the invoke fails). */
  throw?: { error: string; message: string };
  /** The handler throws a value that is not an Error. */
  throwValue?: unknown;
  never?: true;
  /** Seconds (simulated) before the behaviour takes effect. */
  after?: number;
  /** Seconds (simulated, from the call) at which a heartbeat is sent. */
  heartbeats?: number[];
}

/** An operator step between the start and the end of the case. */
export interface ScriptStep {
  advance?: number;
  drain?: true;
  stop?: { error?: string; cause?: string };
  redrive?: true;
  sendTaskSuccess?: { token: number; output: unknown };
  sendTaskFailure?: { token: number; error: string; cause: string };
  sendTaskHeartbeat?: { token: number };
  /** The API error name the step must fail with. */
  expectError?: string;
  expectStatus?: string;
}

/** One golden case. */
export interface ConformanceCase {
  description: string;
  /** The AWS documentation page the case follows. */
  source?: string;
  definition: unknown;
  input?: unknown;
  random?: number;
  tasks?: Record<string, TaskBehaviour[]>;
  script?: ScriptStep[];
  expect: {
    status?: string;
    output?: unknown;
    error?: string;
    cause?: string;
    events?: string[];
    invalid?: string[];
    scheduledAt?: number[];
    stoppedAt?: number;
    payloads?: Record<string, unknown[]>;
    openTokens?: number;
  };
}

/** What a case produced. */
export interface ConformanceOutcome {
  status?: string;
  output?: unknown;
  error?: string;
  cause?: string;
  events: string[];
  history: HistoryEvent[];
  scheduledAt: number[];
  stoppedAt?: number;
  payloads: Record<string, unknown[]>;
  openTokens: number;
  refused?: Error;
  stepErrors: (string | undefined)[];
}

const START = Date.parse('2026-01-01T00:00:00.000Z');

/** Runs a case to its end (or until nothing more can happen). */
export async function runConformanceCase(c: ConformanceCase): Promise<ConformanceOutcome> {
  const clock = new SimulatedClock(START);
  let n = 0;
  const sfn = new LocalStepFunctions({
    clock,
    random: () => c.random ?? 0.5,
    ids: {
      token: () => `token-${++n}`,
      uuid: () => `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}`,
    },
  });
  const tokens: string[] = [];
  const payloads: Record<string, unknown[]> = {};
  registerTasks(sfn, clock, c.tasks ?? {}, tokens, payloads);
  const outcome: ConformanceOutcome = {
    events: [],
    history: [],
    scheduledAt: [],
    payloads,
    openTokens: 0,
    stepErrors: [],
  };
  let executionArn: string;
  try {
    ({ executionArn } = await sfn.startExecution({
      definition: c.definition as never,
      name: 'conformance',
      input: JSON.stringify(c.input ?? {}),
    }));
  } catch (e) {
    outcome.refused = e as Error;
    return outcome;
  }
  const run: CaseRun = { sfn, clock, executionArn, tokens };
  for (const step of c.script ?? []) {
    await settle();
    outcome.stepErrors.push(await runStep(run, step));
  }
  await drain(run);
  await describeEnd(run, outcome);
  return outcome;
}

/** One execution of a case, once started. */
interface CaseRun {
  sfn: LocalStepFunctions;
  clock: SimulatedClock;
  executionArn: string;
  /** The task tokens handed to the task functions, in the order they were given. */
  tokens: string[];
}

/** Registers a handler per task function that plays its behaviours, one per call (the last one repeats). */
function registerTasks(
  sfn: LocalStepFunctions,
  clock: SimulatedClock,
  tasks: Record<string, TaskBehaviour[]>,
  tokens: string[],
  payloads: Record<string, unknown[]>,
): void {
  const calls: Record<string, number> = {};
  for (const [fn, behaviours] of Object.entries(tasks)) {
    sfn.registerHandler(fn, (payload, ctx) => {
      const received = payloads[fn] ?? [];
      received.push(payload);
      payloads[fn] = received;
      const i = calls[fn] ?? 0;
      calls[fn] = i + 1;
      const b = behaviours[Math.min(i, behaviours.length - 1)] ?? { never: true };
      const token = ctx.taskToken;
      if (token) tokens.push(token);
      for (const s of b.heartbeats ?? []) {
        clock.setTimer(
          s * 1000,
          () => void sfn.sendTaskHeartbeat({ taskToken: token ?? '' }).catch(() => {}),
        );
      }
      const act = () => playBehaviour(sfn, b, token);
      if (b.after === undefined) return act();
      if (token) {
        clock.setTimer(b.after * 1000, () => {
          try {
            act();
          } catch {}
        });
        return undefined;
      }
      return new Promise((resolve, reject) =>
        clock.setTimer((b.after ?? 0) * 1000, () => {
          try {
            resolve(act());
          } catch (e) {
            reject(e);
          }
        }),
      );
    });
  }
}

/** What one call does: throw, never answer, answer its task token, or return. */
function playBehaviour(sfn: LocalStepFunctions, b: TaskBehaviour, token: string | undefined): unknown {
  if (b.throw) throw Object.assign(new Error(b.throw.message), { name: b.throw.error });
  if ('throwValue' in b) throw b.throwValue;
  if (b.never) return undefined;
  if (token) {
    if (b.fail) void sfn.sendTaskFailure({ taskToken: token, ...b.fail }).catch(() => {});
    else
      void sfn
        .sendTaskSuccess({ taskToken: token, output: JSON.stringify(b.succeed ?? null) })
        .catch(() => {});
    return undefined;
  }
  if (b.fail) throw Object.assign(new Error(b.fail.cause), { name: b.fail.error });
  return b.succeed;
}

/** Runs the clock until the execution ends or nothing is scheduled. */
async function drain({ sfn, clock, executionArn }: CaseRun): Promise<void> {
  for (let i = 0; i < 10_000; i++) {
    await settle();
    if ((await sfn.describeExecution({ executionArn })).status !== 'RUNNING') return;
    if (!(await clock.advanceToNext())) return;
  }
}

/** Plays one operator step; returns the API error it failed with, or the status it expected to see. */
async function runStep(run: CaseRun, step: ScriptStep): Promise<string | undefined> {
  const { sfn, clock, executionArn, tokens } = run;
  try {
    if (step.advance !== undefined) await clock.advance(step.advance * 1000);
    if (step.drain) await drain(run);
    if (step.stop) await sfn.stopExecution({ executionArn, ...step.stop });
    if (step.redrive) {
      await drain(run);
      await sfn.redriveExecution({ executionArn });
    }
    const at = (i: number) => tokens[i] ?? `unknown-token-${i}`;
    if (step.sendTaskSuccess) {
      await sfn.sendTaskSuccess({
        taskToken: at(step.sendTaskSuccess.token),
        output: JSON.stringify(step.sendTaskSuccess.output),
      });
    }
    if (step.sendTaskFailure) {
      const { token, ...rest } = step.sendTaskFailure;
      await sfn.sendTaskFailure({ taskToken: at(token), ...rest });
    }
    if (step.sendTaskHeartbeat) await sfn.sendTaskHeartbeat({ taskToken: at(step.sendTaskHeartbeat.token) });
    if (step.expectStatus) {
      await settle();
      return (await sfn.describeExecution({ executionArn })).status;
    }
    return undefined;
  } catch (e) {
    return (e as Error).name;
  }
}

/** Fills the outcome from the ended (or stuck) execution. */
async function describeEnd({ sfn, executionArn }: CaseRun, outcome: ConformanceOutcome): Promise<void> {
  const described = await sfn.describeExecution({ executionArn });
  const history = (await sfn.getExecutionHistory({ executionArn })).events;
  outcome.status = described.status;
  if (described.output !== undefined) outcome.output = JSON.parse(described.output);
  if (described.error !== undefined) outcome.error = described.error;
  if (described.cause !== undefined) outcome.cause = described.cause;
  if (described.stopDate) outcome.stoppedAt = (Date.parse(described.stopDate) - START) / 1000;
  outcome.history = history;
  outcome.events = history.map((e) => e.type);
  outcome.scheduledAt = history
    .filter(
      (e) =>
        e.type === 'TaskScheduled' || e.type === 'LambdaFunctionScheduled' || e.type === 'ActivityScheduled',
    )
    .map((e) => (Date.parse(e.timestamp) - START) / 1000);
  outcome.openTokens = sfn.openTaskTokens;
}
