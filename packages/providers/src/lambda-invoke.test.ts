import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { lambdaInvokeProvider } from './lambda-invoke.ts';
import { makeRun, type TestRun } from './testing/make-run.ts';

let t: TestRun | undefined;
afterEach(async () => {
  await t?.cleanup();
  t = undefined;
});

const HANDLER = `
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
interface Job { 'CodePipeline.job': { id: string; data: any } }
export async function handler(event: Job, context: { functionName: string }) {
  const job = event['CodePipeline.job'];
  const input = job.data.inputArtifacts[0].location.localLocation.path;
  const text = await readFile(join(input, 'in.txt'), 'utf8');
  await writeFile(join(job.data.outputArtifacts[0].location.localLocation.path, 'out.txt'), text.toUpperCase());
  return { outputVariables: { params: job.data.actionConfiguration.configuration.UserParameters, fn: context.functionName, n: 2 }, summary: 'checked' };
}
export async function fails() { throw new Error('health check failed: 503'); }
let calls = 0;
export async function slow(event: Job) {
  calls += 1;
  const token = event['CodePipeline.job'].data.continuationToken;
  return token === 'two' ? { outputVariables: { calls: String(calls) } } : { continuationToken: token ? 'two' : 'one' };
}
`;

async function lambdaRun(functionName: string) {
  t = await makeRun({
    action: {
      actionTypeId: { category: 'Invoke', owner: 'AWS', provider: 'Lambda', version: '1' },
      configuration: { FunctionName: functionName, UserParameters: '{"url":"http://x"}' },
      outputArtifacts: [{ name: 'Report' }],
    },
    inputs: { Src: { 'in.txt': 'hello' } },
  });
  await mkdir(join(t.run.projectDir, 'lambdas'), { recursive: true });
  await writeFile(join(t.run.projectDir, 'lambdas', 'check.ts'), HANDLER);
  return t;
}

describe('lambdaInvokeProvider', () => {
  it('calls the TS handler with a CodePipeline job event and stores its output artifact', async () => {
    const run = await lambdaRun('./lambdas/check.ts');
    const outcome = await lambdaInvokeProvider({}).run(run.run);
    expect(outcome).toMatchObject({
      status: 'Succeeded',
      summary: 'checked',
      outputVariables: { params: '{"url":"http://x"}', fn: './lambdas/check.ts', n: '2' },
      outputArtifacts: [{ name: 'Report', files: 1 }],
    });
  });

  it('fails with the thrown message', async () => {
    const run = await lambdaRun('lambdas/check.ts#fails');
    expect(await lambdaInvokeProvider({}).run(run.run)).toMatchObject({
      status: 'Failed',
      error: { type: 'JobFailed', message: 'health check failed: 503' },
    });
  });

  it('invokes again with the continuation token until the handler finishes', async () => {
    const run = await lambdaRun('check-fn');
    const outcome = await lambdaInvokeProvider({ functions: { 'check-fn': 'lambdas/check.ts#slow' } }).run(
      run.run,
    );
    expect(outcome).toMatchObject({ status: 'Succeeded', outputVariables: { calls: '3' } });
  });

  it('explains a FunctionName that is not a local module, a missing file and a missing export', async () => {
    const run = await lambdaRun('my-aws-function');
    const provider = lambdaInvokeProvider({});
    expect(await provider.run(run.run)).toMatchObject({
      error: { type: 'ConfigurationError', message: expect.stringContaining('is not a local module') },
    });
    run.run.action.configuration.FunctionName = 'lambdas/none.ts';
    expect(await provider.run(run.run)).toMatchObject({
      error: { type: 'ConfigurationError', message: expect.stringContaining('does not exist') },
    });
    run.run.action.configuration.FunctionName = 'lambdas/check.ts#nope';
    expect(await provider.run(run.run)).toMatchObject({
      error: { type: 'ConfigurationError', message: expect.stringContaining('no exported function nope') },
    });
  });
});
