/**
 * `LocalStepFunctions`: the Step Functions API over the local interpreter, so an Orchestrator
 * port maps onto it one to one. Executions live in memory; every history event can be
 * journaled through `onHistoryEvent`, and `resumeExecution` rebuilds an execution from such a
 * journal after a crash.
 *
 * @example
 * ```ts
 * const sfn = new LocalStepFunctions({ clock: new SimulatedClock(0) });
 * sfn.registerHandler('work', (payload) => ({ done: payload }));
 * const { executionArn } = await sfn.startExecution({ definition, name: 'run-1', input: '{"n":1}' });
 * const { status, output } = await sfn.waitForExecution(executionArn);
 * ```
 */
import { randomUUID } from 'node:crypto';
import type { LocalStepFunctionsOptions, StartExecutionInput } from './api-types.ts';
import { Cancelled, CancelScope } from './cancellation.ts';
import { type Clock, isoNow, realClock } from './clock.ts';
import type { StateMachineDefinition } from './definition.ts';
import {
  ExecutionAlreadyExists,
  ExecutionDoesNotExist,
  ExecutionNotRedrivable,
  InvalidOutput,
  StateMachineDoesNotExist,
  StatesError,
} from './errors.ts';
import {
  checkExecutionName,
  type DescribeExecutionOutput,
  describe,
  type ExecutionRecord,
  type ExecutionStatus,
  executionFacts,
  executionArn as makeExecutionArn,
  stateMachineArn as makeStateMachineArn,
  parseExecutionArn,
  parseJson,
} from './execution-record.ts';
import type { HistoryEvent, NewHistoryEvent } from './history.ts';
import { stateFromJournal } from './journal-state.ts';
import { JsonataEvaluator } from './jsonata-evaluator.ts';
import { materialize } from './lazy-json.ts';
import { parseDefinition } from './parse-definition.ts';
import { ReplayIndex } from './replay-index.ts';
import { runBranch } from './run-branch.ts';
import {
  type IdSource,
  type RunContext,
  type TaskHandler,
  type Thread,
  VariableScope,
} from './run-context.ts';
import { TaskTokens } from './task-tokens.ts';
import './simple-states.ts';
import './choice-state.ts';
import './wait-state.ts';
import './task-state.ts';
import './parallel-state.ts';
import './map-state.ts';

/** The Step Functions API, run locally. */
export class LocalStepFunctions {
  readonly #clock: Clock;
  readonly #random: () => number;
  readonly #ids: IdSource;
  readonly #onEvent: LocalStepFunctionsOptions['onHistoryEvent'];
  readonly #handlers = new Map<string, TaskHandler>();
  readonly #machines = new Map<string, { name: string; definition: StateMachineDefinition }>();
  readonly #executions = new Map<string, ExecutionRecord>();
  readonly #tokens = new TaskTokens();
  readonly #evaluator: JsonataEvaluator;

  constructor(options: LocalStepFunctionsOptions = {}) {
    this.#clock = options.clock ?? realClock;
    this.#random = options.random ?? Math.random;
    this.#ids = options.ids ?? { token: () => randomUUID() + randomUUID(), uuid: () => randomUUID() };
    this.#onEvent = options.onHistoryEvent;
    this.#evaluator = new JsonataEvaluator({
      now: () => this.#clock.now(),
      uuid: () => this.#ids.uuid(),
      random: this.#random,
    });
  }

  /**
   * Registers a local handler: a Lambda function by name (`lambda:invoke`'s `FunctionName`, or a
   * function ARN's name), a service or SDK integration by its resource ARN (e.g.
   * `arn:aws:states:::aws-sdk:s3:getObject`, or `arn:aws:states:::ecs:runTask` for its `.sync`
   * and `.waitForTaskToken` forms), an activity by its ARN or name, or a Map's
   * `ItemReader`/`ResultWriter` by its `Resource`.
   */
  registerHandler(functionName: string, handler: TaskHandler): void {
    this.#handlers.set(functionName, handler);
  }

  /** Checks a definition (throws InvalidDefinition) and stores it under `name`. */
  createStateMachine(input: { name: string; definition: StateMachineDefinition | string }): {
    stateMachineArn: string;
  } {
    const definition = parseDefinition(input.definition);
    const arn = makeStateMachineArn(input.name);
    this.#machines.set(arn, { name: input.name, definition });
    return { stateMachineArn: arn };
  }

  /** Starts an execution; the same name and input on an open execution returns it again. */
  async startExecution(input: StartExecutionInput): Promise<{ executionArn: string; startDate: string }> {
    const machine = this.#machineOf(input);
    const name = input.name ?? this.#ids.uuid();
    checkExecutionName(name);
    const text = input.input ?? '{}';
    const parsed = parseJson(text, 'input');
    const arn = makeExecutionArn(machine.name, name);
    const existing = this.#executions.get(arn);
    if (existing) {
      if (existing.status === 'RUNNING' && existing.input === text)
        return { executionArn: arn, startDate: existing.startDate };
      throw new ExecutionAlreadyExists(name);
    }
    const record = this.#newRecord(arn, name, machine, text, this.#iso());
    this.#append(
      record,
      { type: 'ExecutionStarted', site: '', executionStartedEventDetails: { input: text } },
      0,
    );
    this.#launch(record, ReplayIndex.empty(), parsed);
    return { executionArn: arn, startDate: record.startDate };
  }

  /** Stops an execution: ABORTED, its open task tokens die. */
  async stopExecution(input: {
    executionArn: string;
    error?: string;
    cause?: string;
  }): Promise<{ stopDate: string }> {
    const record = this.#record(input.executionArn);
    if (record.status === 'RUNNING') {
      const details = { error: input.error ?? '', cause: input.cause ?? '' };
      this.#close(
        record,
        'ABORTED',
        { type: 'ExecutionAborted', executionAbortedEventDetails: details },
        details,
      );
      record.error = input.error;
      record.cause = input.cause;
    }
    return { stopDate: record.stopDate ?? this.#iso() };
  }

  /** Completes a `.waitForTaskToken` task; `output` is JSON text. */
  async sendTaskSuccess(input: { taskToken: string; output: string }): Promise<void> {
    const waiter = this.#tokens.use(input.taskToken);
    let output: unknown;
    try {
      output = JSON.parse(input.output);
    } catch (e) {
      throw new InvalidOutput((e as Error).message);
    }
    waiter.succeed(output);
  }

  /** Fails a `.waitForTaskToken` task with `error` and `cause`. */
  async sendTaskFailure(input: { taskToken: string; error?: string; cause?: string }): Promise<void> {
    this.#tokens.use(input.taskToken).fail(input.error ?? '', input.cause ?? '');
  }

  /** Resets the task's HeartbeatSeconds clock. */
  async sendTaskHeartbeat(input: { taskToken: string }): Promise<void> {
    this.#tokens.use(input.taskToken).heartbeat();
  }

  /** The execution's status, input, output or error. */
  async describeExecution(input: { executionArn: string }): Promise<DescribeExecutionOutput> {
    return describe(this.#record(input.executionArn));
  }

  /** The execution's history events (oldest first unless `reverseOrder`). */
  async getExecutionHistory(input: {
    executionArn: string;
    reverseOrder?: boolean;
  }): Promise<{ events: HistoryEvent[] }> {
    const events = this.#record(input.executionArn).history.map((e) => materialize(e));
    return { events: input.reverseOrder ? events.reverse() : events };
  }

  /** Re-runs a FAILED, TIMED_OUT or ABORTED execution from its unsuccessful state(s). */
  async redriveExecution(input: { executionArn: string }): Promise<{ redriveDate: string }> {
    const record = this.#record(input.executionArn);
    if (!['FAILED', 'TIMED_OUT', 'ABORTED'].includes(record.status)) {
      throw new ExecutionNotRedrivable(record.executionArn, record.status);
    }
    record.redriveCount += 1;
    record.redriveDate = this.#iso();
    for (const key of ['stopDate', 'output', 'error', 'cause'] as const) delete record[key];
    record.status = 'RUNNING';
    this.#append(
      record,
      { type: 'ExecutionRedriven', executionRedrivenEventDetails: { redriveCount: record.redriveCount } },
      record.history.length,
    );
    this.#launch(record, ReplayIndex.fromJournal(record.history), JSON.parse(record.input));
    return { redriveDate: record.redriveDate };
  }

  /**
   * Rebuilds an execution from its journal (the events `onHistoryEvent` received) and, unless
   * the journal shows it closed, continues it: recorded task outcomes are reused, open tasks are
   * dispatched again as a new attempt with a new token.
   */
  async resumeExecution(input: {
    executionArn: string;
    definition: StateMachineDefinition | string;
    journal: readonly HistoryEvent[];
  }): Promise<DescribeExecutionOutput> {
    const names = parseExecutionArn(input.executionArn);
    const started = input.journal[0];
    if (!names || started?.type !== 'ExecutionStarted') {
      throw new ExecutionDoesNotExist(`${input.executionArn} (the journal must start with ExecutionStarted)`);
    }
    const machine = { name: names.stateMachineName, definition: parseDefinition(input.definition) };
    this.#machines.set(makeStateMachineArn(machine.name), machine);
    const text = started.executionStartedEventDetails?.input ?? '{}';
    const record = this.#newRecord(input.executionArn, names.name, machine, text, started.timestamp);
    record.history = input.journal.map((e) => structuredClone(e));
    const state = stateFromJournal(record.history);
    Object.assign(record, state);
    if (state.status === 'RUNNING')
      this.#launch(record, ReplayIndex.fromJournal(record.history), JSON.parse(text));
    return describe(record);
  }

  /** Resolves when the execution is closed (at once when it already is). */
  waitForExecution(executionArn: string): Promise<DescribeExecutionOutput> {
    const record = this.#record(executionArn);
    if (record.status !== 'RUNNING') return Promise.resolve(describe(record));
    return new Promise((resolve) => record.waiters.push(resolve));
  }

  /** Number of open task tokens (for tests and metrics). */
  get openTaskTokens(): number {
    return this.#tokens.openCount;
  }

  /** Drops every running execution silently, as a crash would (no events). For tests of resume. */
  dispose(): void {
    for (const record of this.#executions.values()) {
      if (record.status !== 'RUNNING') continue;
      record.clearTimeout?.();
      record.root?.cancel(new Cancelled('disposed'));
      this.#tokens.closeExecution(record.executionArn);
    }
  }

  #machineOf(input: StartExecutionInput): { name: string; definition: StateMachineDefinition } {
    if (input.stateMachineArn) {
      const machine = this.#machines.get(input.stateMachineArn);
      if (!machine) throw new StateMachineDoesNotExist(input.stateMachineArn);
      return machine;
    }
    if (input.definition === undefined)
      throw new StateMachineDoesNotExist('(neither stateMachineArn nor definition given)');
    const name = input.stateMachineName ?? 'local';
    return { name, definition: parseDefinition(input.definition) };
  }

  #newRecord(
    arn: string,
    name: string,
    machine: { name: string; definition: StateMachineDefinition },
    input: string,
    startDate: string,
  ): ExecutionRecord {
    const record: ExecutionRecord = {
      executionArn: arn,
      stateMachineArn: makeStateMachineArn(machine.name),
      stateMachineName: machine.name,
      name,
      definition: machine.definition,
      input,
      status: 'RUNNING',
      startDate,
      redriveCount: 0,
      history: [],
      waiters: [],
    };
    this.#executions.set(arn, record);
    return record;
  }

  #record(arn: string): ExecutionRecord {
    const record = this.#executions.get(arn);
    if (!record) throw new ExecutionDoesNotExist(arn);
    return record;
  }

  #iso(): string {
    return isoNow(this.#clock);
  }

  #append(record: ExecutionRecord, event: NewHistoryEvent, previousEventId: number): HistoryEvent {
    const full = {
      id: record.history.length + 1,
      previousEventId,
      timestamp: this.#iso(),
      ...event,
    } as HistoryEvent;
    if (record.status !== 'RUNNING') return full; // a closed execution records nothing more
    record.history.push(full);
    this.#onEvent?.(record.executionArn, materialize(full));
    return full;
  }

  #close(
    record: ExecutionRecord,
    status: ExecutionStatus,
    event: NewHistoryEvent,
    fields: Partial<ExecutionRecord>,
  ): void {
    if (record.status !== 'RUNNING') return;
    this.#append(record, event, record.history.length);
    record.status = status;
    record.stopDate = this.#iso();
    Object.assign(record, fields);
    record.clearTimeout?.();
    record.root?.cancel(new Cancelled(status === 'TIMED_OUT' ? 'timedOut' : 'aborted'));
    delete record.root;
    this.#tokens.closeExecution(record.executionArn);
    const description = describe(record);
    for (const resolve of record.waiters.splice(0)) resolve(description);
  }

  #launch(record: ExecutionRecord, replay: ReplayIndex, input: unknown): void {
    const root = new CancelScope();
    record.root = root;
    const limit = record.definition.TimeoutSeconds;
    if (limit !== undefined) {
      const since = Date.parse(record.redriveDate ?? record.startDate);
      const timer = this.#clock.setTimer(limit * 1000 - (this.#clock.now() - since), () => {
        const details = {
          error: 'States.Timeout',
          cause: `The execution exceeded its TimeoutSeconds of ${limit}`,
        };
        this.#close(
          record,
          'TIMED_OUT',
          { type: 'ExecutionTimedOut', executionTimedOutEventDetails: details },
          details,
        );
      });
      record.clearTimeout = () => this.#clock.clearTimer(timer);
    }
    const ctx: RunContext = {
      clock: this.#clock,
      random: this.#random,
      ids: this.#ids,
      evaluator: this.#evaluator,
      queryLanguage: record.definition.QueryLanguage === 'JSONata' ? 'JSONata' : 'JSONPath',
      handlers: this.#handlers,
      tokens: this.#tokens,
      replay,
      facts: executionFacts(record, input),
      append: (event, previousEventId) => this.#append(record, event, previousEventId),
    };
    const thread: Thread = {
      prefix: '',
      lastEventId: record.history.length,
      variables: new VariableScope(),
      scope: root,
    };
    runBranch(ctx, record.definition, input, thread).then(
      (output) => {
        if (root.reason) return;
        const text = JSON.stringify(output ?? null);
        this.#close(
          record,
          'SUCCEEDED',
          { type: 'ExecutionSucceeded', executionSucceededEventDetails: { output: text } },
          { output: text },
        );
      },
      (e: unknown) => {
        if (root.reason) return;
        const error =
          e instanceof StatesError ? e : new StatesError('States.Runtime', String((e as Error)?.stack ?? e));
        const details = { error: error.error, cause: error.errorCause };
        this.#close(
          record,
          'FAILED',
          { type: 'ExecutionFailed', executionFailedEventDetails: details },
          details,
        );
      },
    );
  }
}
