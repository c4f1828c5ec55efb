import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { CompileError } from '../errors.ts';
import type { Action, Pipeline } from '../model/pipeline.ts';
import type { AslDefinition, AslParallelState, AslState, AslTaskState } from './asl-types.ts';
import { compilePipeline, compilePipelineWithStates } from './compile-pipeline.ts';

type AslValidator = (
  definition: unknown,
  options?: { checkPaths?: boolean; checkArn?: boolean },
) => { isValid: boolean; errorsText: (separator?: string) => string };
const aslValidator = createRequire(import.meta.url)('asl-validator') as AslValidator;

const FIXTURES = new URL('../../../../test/fixtures/compiler/', import.meta.url);
const OPTIONS = {
  resources: { actionRunner: 'pipewright-action-runner', stageGate: 'pipewright-stage-gate' },
};

function loadFixture(name: string): Pipeline {
  return JSON.parse(readFileSync(new URL(`${name}.pipeline.json`, FIXTURES), 'utf8')) as Pipeline;
}

function expectValidAsl(definition: AslDefinition): void {
  const result = aslValidator(JSON.parse(JSON.stringify(definition)), { checkPaths: true, checkArn: true });
  expect(result.errorsText('\n')).toBe('');
  expect(result.isValid).toBe(true);
}

function action(name: string, runOrder = 1, extra: Partial<Action> = {}): Action {
  return {
    name,
    actionTypeId: { category: 'Invoke', owner: 'AWS', provider: 'Lambda', version: '1' },
    runOrder,
    configuration: { FunctionName: 'f' },
    inputArtifacts: [],
    outputArtifacts: [],
    ...extra,
  };
}

function pipelineOf(stages: Pipeline['stages']): Pipeline {
  return { name: 'p', executionMode: 'SUPERSEDED', pipelineType: 'V2', variables: [], triggers: [], stages };
}

/** Every state of the definition, including those inside Parallel branches. */
function allStates(states: Record<string, AslState>): [string, AslState][] {
  return Object.entries(states).flatMap(([name, state]) => [
    [name, state] as [string, AslState],
    ...(state.Type === 'Parallel' ? state.Branches.flatMap((b) => allStates(b.States)) : []),
  ]);
}

const goldenNames = readdirSync(FIXTURES)
  .filter((f) => f.endsWith('.pipeline.json'))
  .map((f) => f.slice(0, -'.pipeline.json'.length))
  .sort();

describe('compilePipeline', () => {
  it('has golden fixtures to compare against', () => {
    expect(goldenNames).toEqual(['long-names', 'run-orders', 'seed-source-build', 'web-app']);
  });

  for (const name of goldenNames) {
    it(`compiles ${name} to its golden ASL, which asl-validator accepts`, () => {
      // Prepare
      const pipeline = loadFixture(name);
      const goldenUrl = new URL(`${name}.asl.json`, FIXTURES);
      // Act
      const definition = compilePipeline(pipeline, OPTIONS);
      // Assess: compared as compact JSON, so key order counts but the file's formatting does not.
      if (process.env.UPDATE_GOLDEN === '1')
        writeFileSync(goldenUrl, `${JSON.stringify(definition, null, 2)}\n`);
      expect(existsSync(goldenUrl), `missing ${name}.asl.json; run with UPDATE_GOLDEN=1 and review it`).toBe(
        true,
      );
      const golden: unknown = JSON.parse(readFileSync(goldenUrl, 'utf8'));
      expect(JSON.stringify(definition)).toBe(JSON.stringify(golden));
      expectValidAsl(definition);
    });
  }

  it('compiles the seed pipeline into the documented chain of states', () => {
    const definition = compilePipeline(loadFixture('seed-source-build'), OPTIONS);
    expect(Object.keys(definition.States)).toEqual([
      'Start',
      'Source.gate',
      'Source.enter',
      'Source.SourceCode',
      'Source.leave',
      'Source.failed',
      'Source.decide',
      'Build.gate',
      'Build.enter',
      'Build.BuildProject',
      'Build.leave',
      'Build.failed',
      'Build.decide',
      'Finish',
      'Succeeded',
      'Failed',
    ]);
    expect(definition.QueryLanguage).toBe('JSONata');
    expect(definition.States.Start).toMatchObject({
      Type: 'Pass',
      Assign: {
        pipeline: '{% $states.input.pipeline %}',
        executionId: '{% $states.input.executionId %}',
        attempt: 0,
      },
      Next: 'Source.gate',
    });
    expect(definition.States['Source.enter']).toEqual({
      Type: 'Choice',
      Choices: [{ Condition: '{% $states.input.decision = "SKIP" %}', Next: 'Build.gate' }],
      Default: 'Source.SourceCode',
    });
    expect(definition.States['Build.leave']).toMatchObject({ Next: 'Finish' });
    expect(definition.States['Build.decide']).toEqual({
      Type: 'Choice',
      Choices: [
        {
          Condition: '{% $states.input.decision = "RETRY_ALL_ACTIONS" %}',
          Assign: { attempt: '{% $attempt + 1 %}' },
          Next: 'Build.gate',
        },
        {
          Condition: '{% $states.input.decision = "RETRY_FAILED_ACTIONS" %}',
          Assign: { attempt: '{% $attempt + 1 %}' },
          Next: 'Build.BuildProject',
        },
      ],
      Default: 'Failed',
    });
  });

  it('gives an action Task identifiers only, a token, a timeout, the Lambda retry and a Catch to the failure path', () => {
    const definition = compilePipeline(loadFixture('seed-source-build'), OPTIONS);
    const task = definition.States['Build.BuildProject'] as AslTaskState;
    expect(task.Resource).toBe('arn:aws:states:::lambda:invoke.waitForTaskToken');
    expect(task.Arguments).toEqual({
      FunctionName: 'pipewright-action-runner',
      Payload: {
        kind: 'action',
        pipeline: '{% $pipeline %}',
        executionId: '{% $executionId %}',
        stage: 'Build',
        action: 'BuildProject',
        attempt: '{% $attempt %}',
        taskToken: '{% $states.context.Task.Token %}',
      },
    });
    expect(task.TimeoutSeconds).toBe(3600);
    expect(task.Retry?.[0]?.ErrorEquals).toEqual([
      'Lambda.ServiceException',
      'Lambda.AWSLambdaException',
      'Lambda.SdkClientException',
      'Lambda.TooManyRequestsException',
      'Pipewright.Retryable',
    ]);
    expect(task.Catch).toEqual([
      { ErrorEquals: ['States.ALL'], Next: 'Build.failed', Output: '{% $states.errorOutput %}' },
    ]);
    const failed = definition.States['Build.failed'] as AslTaskState;
    expect(failed.Arguments).toMatchObject({
      FunctionName: 'pipewright-stage-gate',
      Payload: { kind: 'stageFailed', stage: 'Build', error: '{% $states.input %}' },
    });
    expect(failed.Output).toBe('{% $states.result %}');
  });

  it('makes Finish a request/response invoke of the stage gate without a stage', () => {
    const finish = compilePipeline(loadFixture('seed-source-build'), OPTIONS).States.Finish as AslTaskState;
    expect(finish.Resource).toBe('arn:aws:states:::lambda:invoke');
    expect(finish.Arguments).toEqual({
      FunctionName: 'pipewright-stage-gate',
      Payload: {
        kind: 'finish',
        pipeline: '{% $pipeline %}',
        executionId: '{% $executionId %}',
        attempt: '{% $attempt %}',
      },
    });
    expect(finish.Next).toBe('Succeeded');
  });

  it('runs runOrder groups 1, 2, 2, 3 as Task, Parallel of two branches, Task', () => {
    const definition = compilePipeline(loadFixture('run-orders'), OPTIONS);
    expect(definition.States['Release.enter']).toMatchObject({ Default: 'Release.Migrate' });
    // Migrate is a CloudFormation action: its long-wait loop leads on to the next group.
    expect(definition.States['Release.Migrate']).toMatchObject({
      Type: 'Task',
      Next: 'Release.Migrate.polling',
    });
    expect(definition.States['Release.Migrate.polling']).toMatchObject({
      Type: 'Choice',
      Default: 'Release.run2',
    });
    const parallel = definition.States['Release.run2'] as AslParallelState;
    expect(parallel.Type).toBe('Parallel');
    expect(parallel.Branches.map((b) => b.StartAt)).toEqual(['Release.DeployApi', 'Release.DeploySite']);
    expect(parallel.Branches[0]?.States['Release.DeployApi']).toMatchObject({ Type: 'Task', End: true });
    expect(parallel.Next).toBe('Release.Verify');
    expect(parallel.Catch?.[0]?.Next).toBe('Release.failed');
    expect(definition.States['Release.Verify']).toMatchObject({ Next: 'Release.leave' });
  });

  it('uses timeoutInMinutes when set and the provider default otherwise', () => {
    const definition = compilePipeline(loadFixture('web-app'), OPTIONS);
    const build = definition.States['Build.run1'] as AslParallelState;
    const unitTests = build.Branches[1]?.States['Build.UnitTests'] as AslTaskState;
    expect(unitTests.TimeoutSeconds).toBe(20 * 60);
    expect((definition.States['Approve.ReleaseApproval'] as AslTaskState).TimeoutSeconds).toBe(7 * 24 * 3600);
    // A polling action's Tasks each get 20 minutes; its 3 days are counted by the runner (decidePoll).
    expect((definition.States['Deploy.DeployStack'] as AslTaskState).TimeoutSeconds).toBe(20 * 60);
    expect((definition.States['Deploy.DeployStack.poll'] as AslTaskState).TimeoutSeconds).toBe(20 * 60);
    expect((definition.States['Deploy.SmokeTest'] as AslTaskState).TimeoutSeconds).toBe(24 * 3600);
  });

  it('falls back to 60 minutes for a provider it does not know', () => {
    const custom = action('Custom', 1, {
      actionTypeId: { category: 'Build', owner: 'Custom', provider: 'MyOwnThing', version: '7' },
    });
    const definition = compilePipeline(pipelineOf([{ name: 'S', actions: [custom] }]), OPTIONS);
    expect((definition.States['S.Custom'] as AslTaskState).TimeoutSeconds).toBe(3600);
  });

  it('keeps state names within 80 characters and unique, shortening with a stable hash', () => {
    const { definition, states } = compilePipelineWithStates(loadFixture('long-names'), OPTIONS);
    const names = allStates(definition.States).map(([name]) => name);
    expect(new Set(names).size).toBe(names.length);
    for (const name of names) expect(Array.from(name).length).toBeLessThanOrEqual(80);
    expect(names.filter((n) => /~[0-9a-f]{8}$/.test(n)).length).toBeGreaterThanOrEqual(8);
    // An action named like a structural state is renamed; the structural state keeps its name.
    expect(names).toContain('Odd.leave');
    expect(states.find((s) => s.action === 'leave')?.stateName).toMatch(/^Odd\.leave~[0-9a-f]{8}$/);
    // "a.b" + "c" and "a" + "b.c" would both be "a.b.c".
    const abc = states.filter((s) => s.kind === 'action' && (s.stage === 'a' || s.stage === 'a.b'));
    expect(abc.map((s) => s.stateName).every((n) => n.startsWith('a.b.c~'))).toBe(true);
    expect(new Set(abc.map((s) => s.stateName)).size).toBe(2);
  });

  it('puts names with quotes and %} in as plain strings, never inside a JSONata expression', () => {
    const definition = compilePipeline(loadFixture('long-names'), OPTIONS);
    const json = JSON.stringify(definition);
    const expressions = json.match(/\{%.*?%\}/g) ?? [];
    for (const e of expressions) expect(e).not.toMatch(/say|hi|Odd|Deploy-to/);
    const odd = allStates(definition.States).find(([, s]) => s.Type === 'Task' && s.Comment?.includes('say'));
    expect(odd).toBeDefined();
    expect((odd?.[1] as AslTaskState | undefined)?.Arguments).toMatchObject({
      Payload: { action: 'say "hi" %} $x', stage: 'Odd' },
    });
  });

  it('is deterministic: compiling twice gives byte-identical JSON', () => {
    const pipeline = loadFixture('web-app');
    expect(JSON.stringify(compilePipeline(pipeline, OPTIONS))).toBe(
      JSON.stringify(compilePipeline(structuredClone(pipeline), OPTIONS)),
    );
  });

  it('lists every state with its stage and action', () => {
    const { definition, states } = compilePipelineWithStates(loadFixture('run-orders'), OPTIONS);
    expect(states.map((s) => s.stateName).sort()).toEqual(
      allStates(definition.States)
        .map(([n]) => n)
        .sort(),
    );
    expect(states.find((s) => s.stateName === 'Release.run2')).toEqual({
      stateName: 'Release.run2',
      kind: 'group',
      stage: 'Release',
      runOrder: 2,
    });
    expect(states.filter((s) => s.kind === 'action')).toHaveLength(5);
  });

  it('throws CompileError for a pipeline without stages', () => {
    expect(() => compilePipeline(pipelineOf([]), OPTIONS)).toThrow(CompileError);
  });

  it.each([
    ['a stage without actions', pipelineOf([{ name: 'S', actions: [] }])],
    [
      'duplicate stage names',
      pipelineOf([
        { name: 'S', actions: [action('A')] },
        { name: 'S', actions: [action('B')] },
      ]),
    ],
    ['duplicate action names', pipelineOf([{ name: 'S', actions: [action('A'), action('A', 2)] }])],
    ['a runOrder of 0', pipelineOf([{ name: 'S', actions: [action('A', 0)] }])],
    ['an action name that reads as JSONata', pipelineOf([{ name: 'S', actions: [action('{% $x %}')] }])],
    ['an empty stage name', pipelineOf([{ name: '', actions: [action('A')] }])],
  ])('throws CompileError for %s', (_what, pipeline) => {
    expect(() => compilePipeline(pipeline, OPTIONS)).toThrow(CompileError);
  });
});
