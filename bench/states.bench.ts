/**
 * `node bench/states.bench.ts`: throughput of the @pipewright/states interpreter on a chain of
 * 20 Tasks whose handlers answer at once (so the figures are the runtime's own cost: JSONata or
 * JSONPath evaluation, history, scheduling), history recording on, beside
 * `aws-local-stepfunctions` (npm) on the JSONPath twin of the same chain (it runs no JSONata).
 * Prints figures; asserts nothing but the outputs.
 */
import { cpus, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { StateMachine } from 'aws-local-stepfunctions';
import {
  LocalStepFunctions,
  SimulatedClock,
  type StateMachineDefinition,
} from '../packages/states/src/index.ts';

const TASKS = 20;
const CONCURRENT = 500;
const FUNCTION_ARN = 'arn:aws:lambda:us-east-1:123456789012:function:work';

/** The chain the issue measures: lambda:invoke Tasks in JSONata. */
function jsonataChain(): StateMachineDefinition {
  const states: StateMachineDefinition['States'] = {};
  for (let i = 0; i < TASKS; i++) {
    states[`T${i}`] = {
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke',
      Arguments: { FunctionName: 'work', Payload: { n: '{% $states.input.n %}', step: i } },
      Output: '{% {"n": $states.result.Payload.n + 1} %}',
      ...(i === TASKS - 1 ? { End: true } : { Next: `T${i + 1}` }),
    };
  }
  return { QueryLanguage: 'JSONata', StartAt: 'T0', States: states };
}

/** Its JSONPath twin: Lambda function ARN Tasks, Parameters and an intrinsic in ResultSelector. */
function jsonPathChain(): StateMachineDefinition {
  const states: StateMachineDefinition['States'] = {};
  for (let i = 0; i < TASKS; i++) {
    states[`T${i}`] = {
      Type: 'Task',
      Resource: FUNCTION_ARN,
      Parameters: { 'n.$': '$.n', step: i },
      ResultSelector: { 'n.$': 'States.MathAdd($.n, 1)' },
      ...(i === TASKS - 1 ? { End: true } : { Next: `T${i + 1}` }),
    };
  }
  return { StartAt: 'T0', States: states };
}

type Runner = () => Promise<void>;
const expected = `{"n":${TASKS}}`;
const check = (output: string | undefined) => {
  if (output !== expected) throw new Error(`unexpected output ${output}`);
};

function ours(definition: StateMachineDefinition): () => Runner {
  return () => {
    let n = 0;
    let seq = 0;
    const sfn = new LocalStepFunctions({
      clock: new SimulatedClock(0),
      random: () => 0.5,
      ids: { token: () => `t${++n}`, uuid: () => `u${++n}` },
    });
    sfn.registerHandler('work', (payload) => payload);
    const { stateMachineArn } = sfn.createStateMachine({ name: 'chain', definition });
    return async () => {
      const { executionArn } = await sfn.startExecution({
        stateMachineArn,
        name: `e${++seq}`,
        input: '{"n":0}',
      });
      check((await sfn.waitForExecution(executionArn)).output);
    };
  };
}

function peer(): () => Runner {
  return () => {
    const machine = new StateMachine(jsonPathChain() as never, { validationOptions: { checkArn: false } });
    const work = async (payload: unknown) => payload as never;
    const taskResourceLocalHandlers = Object.fromEntries(
      Array.from({ length: TASKS }, (_, i) => [`T${i}`, work]),
    );
    return async () => {
      const output = await machine.run({ n: 0 }, { overrides: { taskResourceLocalHandlers } }).result;
      check(JSON.stringify(output));
    };
  };
}

const cpuMs = (since: NodeJS.CpuUsage) => {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1000;
};

/**
 * Mean wall and CPU ms per execution, one after another, for at least `ms` after a warm-up.
 * CPU time (this process, all its threads) is the steadier figure on a shared machine.
 */
async function sequential(make: () => Runner, ms = 2000): Promise<{ wall: number; cpu: number }> {
  const run = make();
  for (let i = 0; i < 200; i++) await run();
  let count = 0;
  const cpu = process.cpuUsage();
  const started = performance.now();
  while (performance.now() - started < ms) {
    await run();
    count++;
  }
  return { wall: (performance.now() - started) / count, cpu: cpuMs(cpu) / count };
}

/** Executions per second (wall, and per CPU second) with `CONCURRENT` started at once: mean of 3 rounds after a warm-up. */
async function concurrent(make: () => Runner): Promise<{ wall: number; cpu: number }> {
  const round = async () => {
    const run = make();
    const cpu = process.cpuUsage();
    const started = performance.now();
    await Promise.all(Array.from({ length: CONCURRENT }, run));
    return { wall: performance.now() - started, cpu: cpuMs(cpu) };
  };
  await round();
  let wall = 0;
  let cpu = 0;
  for (let r = 0; r < 3; r++) {
    const t = await round();
    wall += t.wall;
    cpu += t.cpu;
  }
  return { wall: (CONCURRENT * 3000) / wall, cpu: (CONCURRENT * 3000) / cpu };
}

const runtimes: [string, () => Runner][] = [
  ['@pipewright/states, JSONata chain', ours(jsonataChain())],
  ['@pipewright/states, JSONPath twin', ours(jsonPathChain())],
  ['aws-local-stepfunctions 3, JSONPath twin', peer()],
];
const rows = [];
for (const [name, make] of runtimes) {
  const mean = await sequential(make);
  const perSecond = await concurrent(make);
  rows.push({
    runtime: name,
    'µs/transition wall': Number(((mean.wall * 1000) / TASKS).toFixed(1)),
    'µs/transition CPU': Number(((mean.cpu * 1000) / TASKS).toFixed(1)),
    'exec/s sequential': Math.round(1000 / mean.wall),
    [`exec/s ${CONCURRENT} concurrent`]: Math.round(perSecond.wall),
    [`exec/s ${CONCURRENT} concurrent (CPU)`]: Math.round(perSecond.cpu),
  });
}
console.log(
  `${TASKS}-Task chain, handlers answer at once, history recording on (ours); ${cpus().length} cores, load average ${loadavg()[0]?.toFixed(1)}`,
);
console.table(rows);
