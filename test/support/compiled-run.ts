/**
 * Runs a pipeline's compiled state machine in the local `states` runtime the way the Lambdas
 * would answer it: every stage gate enters, and the action runner answers each action with what
 * the test says. Simulated time moves on until nothing is due, so long waits take no real time.
 *
 * @example
 * ```ts
 * const result = await runCompiledPipeline(pipeline, 'run-1', () => ({ status: 'Succeeded' }));
 * expect(result.status).toBe('SUCCEEDED');
 * ```
 */
import { compilePipeline, type Pipeline } from '@pipewright/core';
import { LocalStepFunctions, parseDefinition, SimulatedClock, settle } from '@pipewright/states';

/** What the compiled definition sends the gate and the action runner (identifiers only). */
export type CompiledCall = {
  kind: string;
  stage?: string;
  action?: string;
  taskToken?: string;
  progress?: unknown;
};

/** Compiles `pipeline`, runs it to its end and returns the execution's outcome. */
export async function runCompiledPipeline(
  pipeline: Pipeline,
  name: string,
  answer: (call: CompiledCall) => unknown,
  start = '2026-03-02T09:00:00Z',
): Promise<{ status: string; cause?: string | undefined }> {
  const definition = compilePipeline(pipeline, { resources: { actionRunner: 'runner', stageGate: 'gate' } });
  const clock = new SimulatedClock(Date.parse(start));
  const sfn = new LocalStepFunctions({ clock, random: () => 0.5 });
  const reply = (call: CompiledCall, output: unknown) =>
    void sfn.sendTaskSuccess({ taskToken: call.taskToken ?? '', output: JSON.stringify(output) });
  sfn.registerHandler('gate', (payload: unknown) => {
    const call = payload as CompiledCall;
    if (call.kind === 'finish') return { ok: true };
    reply(call, call.kind === 'gate' ? { decision: 'ENTER' } : {});
    return undefined;
  });
  sfn.registerHandler('runner', (payload: unknown) => {
    const call = payload as CompiledCall;
    reply(call, answer(call));
    return undefined;
  });
  const { executionArn } = await sfn.startExecution({
    definition: parseDefinition(definition),
    name,
    input: JSON.stringify({ pipeline: pipeline.name, executionId: name }),
  });
  const done = sfn.waitForExecution(executionArn);
  let ended = false;
  void done.finally(() => {
    ended = true;
  });
  for (let i = 0; i < 50 && !ended && clock.nextDue() === undefined; i++) await settle(2);
  while (!ended && clock.nextDue() !== undefined) {
    await clock.advanceToNext();
    await settle(3);
  }
  return done;
}
