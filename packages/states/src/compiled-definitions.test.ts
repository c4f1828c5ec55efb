/**
 * Every golden definition the compiler emits (`test/fixtures/compiler/*.asl.json`) is accepted
 * by this runtime and runs to completion with handlers that enter every stage and succeed
 * every action, and — with one failing action and an operator's RETRY_FAILED_ACTIONS — still
 * completes.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { SimulatedClock } from './clock.ts';
import { LocalStepFunctions } from './local-step-functions.ts';
import { parseDefinition } from './parse-definition.ts';

const dir = fileURLToPath(new URL('../../../test/fixtures/compiler/', import.meta.url));
const files = existsSync(dir)
  ? readdirSync(dir)
      .filter((f) => f.endsWith('.asl.json'))
      .sort()
  : [];

type Call = { kind: string; action?: string; attempt: number; taskToken?: string };

function runtime(failFirstAction: boolean) {
  const sfn = new LocalStepFunctions({ clock: new SimulatedClock(0), random: () => 0.5 });
  let failed = false;
  const reply = (call: Call, output: unknown) =>
    void sfn.sendTaskSuccess({ taskToken: call.taskToken ?? '', output: JSON.stringify(output) });
  const gate = (payload: unknown) => {
    const call = payload as Call;
    if (call.kind === 'finish') return { ok: true };
    if (call.kind === 'gate') reply(call, { decision: 'ENTER' });
    else if (call.kind === 'stageFailed') reply(call, { decision: 'RETRY_FAILED_ACTIONS' });
    else reply(call, {});
    return undefined;
  };
  const runner = (payload: unknown) => {
    const call = payload as Call;
    if (failFirstAction && !failed) {
      failed = true;
      void sfn.sendTaskFailure({
        taskToken: call.taskToken ?? '',
        error: 'Action.Failed',
        cause: 'first try',
      });
    } else reply(call, { status: 'Succeeded' });
    return undefined;
  };
  return { sfn, gate, runner };
}

/** The function names a definition invokes, by payload kind. */
function functionNames(definition: unknown): { gate: string; runner: string } {
  const text = JSON.stringify(definition);
  const runner = /"FunctionName":"([^"]+)","Payload":\{"kind":"action"/.exec(text)?.[1] ?? 'unknown';
  const gate = /"FunctionName":"([^"]+)","Payload":\{"kind":"gate"/.exec(text)?.[1] ?? 'unknown';
  return { gate, runner };
}

describe('compiled definitions (test/fixtures/compiler)', () => {
  for (const file of files) {
    const definition: unknown = JSON.parse(readFileSync(`${dir}${file}`, 'utf8'));
    for (const failFirst of [false, true]) {
      it(`runs ${file} to completion${failFirst ? ' after a failed action is retried' : ''}`, async () => {
        // Prepare
        const { sfn, gate, runner } = runtime(failFirst);
        const names = functionNames(definition);
        sfn.registerHandler(names.gate, gate);
        sfn.registerHandler(names.runner, runner);
        // Act
        const { executionArn } = await sfn.startExecution({
          definition: parseDefinition(definition),
          name: 'golden',
          input: '{"pipeline":"p","executionId":"golden"}',
        });
        const result = await sfn.waitForExecution(executionArn);
        // Assess
        expect(result.status, result.cause).toBe('SUCCEEDED');
        expect(JSON.parse(result.output ?? 'null')).toEqual({ pipeline: 'p', executionId: 'golden' });
      });
    }
  }
});
