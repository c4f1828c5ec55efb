/**
 * `node bench/states.bench.ts`: throughput of the @pipewright/states interpreter on a chain of
 * 20 lambda:invoke Tasks whose handlers answer at once (so the figures are the runtime's own
 * cost: JSONata evaluation, history, scheduling). Prints figures; asserts nothing.
 */
import { performance } from 'node:perf_hooks';
import { Bench } from 'tinybench';
import {
  LocalStepFunctions,
  SimulatedClock,
  type StateMachineDefinition,
} from '../packages/states/src/index.ts';

const TASKS = 20;
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
const definition: StateMachineDefinition = { QueryLanguage: 'JSONata', StartAt: 'T0', States: states };

let seq = 0;
function runtime(): LocalStepFunctions {
  let n = 0;
  const sfn = new LocalStepFunctions({
    clock: new SimulatedClock(0),
    random: () => 0.5,
    ids: { token: () => `t${++n}`, uuid: () => `u${++n}` },
  });
  sfn.registerHandler('work', (payload) => payload);
  sfn.createStateMachine({ name: 'chain', definition });
  return sfn;
}
const stateMachineArn = 'arn:aws:states:local:000000000000:stateMachine:chain';

async function runOne(sfn: LocalStepFunctions): Promise<void> {
  const { executionArn } = await sfn.startExecution({ stateMachineArn, name: `e${++seq}`, input: '{"n":0}' });
  const result = await sfn.waitForExecution(executionArn);
  if (result.output !== `{"n":${TASKS}}`) throw new Error(`unexpected output ${result.output}`);
}

async function concurrent(sfn: LocalStepFunctions, count: number): Promise<number> {
  const started = performance.now();
  await Promise.all(Array.from({ length: count }, () => runOne(sfn)));
  return performance.now() - started;
}

const sfn = runtime();
const bench = new Bench({ time: 2000, warmupTime: 500 });
bench.add(`one execution of a ${TASKS}-Task chain (sequential)`, () => runOne(sfn));
await bench.run();
console.table(bench.table());
const task = bench.tasks[0];
const meanMs = task?.result && 'latency' in task.result ? task.result.latency.mean : Number.NaN;
console.log(
  `sequential: ${(1000 / meanMs).toFixed(0)} executions/s, ${((meanMs * 1000) / TASKS).toFixed(1)} µs per Task transition`,
);

await concurrent(runtime(), 500); // warm-up
const rounds = 3;
let total = 0;
for (let r = 0; r < rounds; r++) total += await concurrent(runtime(), 500);
const perRound = total / rounds;
console.log(
  `500 concurrent: ${((500 * 1000) / perRound).toFixed(0)} executions/s, ${((perRound * 1000) / (500 * TASKS)).toFixed(1)} µs per Task transition (${perRound.toFixed(0)} ms per round)`,
);
console.log('aws-local-stepfunctions: not installed (see report)');
