import { createRequire } from 'node:module';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Action, Pipeline, Stage } from '../model/pipeline.ts';
import type { AslState } from './asl-types.ts';
import { compilePipeline } from './compile-pipeline.ts';

type AslValidator = (definition: unknown) => { isValid: boolean; errorsText: (separator?: string) => string };
const aslValidator = createRequire(import.meta.url)('asl-validator') as AslValidator;

const OPTIONS = {
  resources: { actionRunner: 'arn:aws:lambda:us-east-1:123456789012:function:runner', stageGate: 'gate' },
};

// Names mix identifier characters with the characters that could confuse a naive compiler:
// dots (state-name separator), quotes, JSONata delimiters, and lengths up to CodePipeline's 100.
const nameChar = fc.constantFrom(...'abcXYZ019.-_@ "%{}$~'.split(''));
const name = fc
  .oneof(
    fc.string({ unit: nameChar, minLength: 1, maxLength: 12 }),
    fc.constantFrom('gate', 'enter', 'leave', 'failed', 'decide', 'run1', 'run2', 'Start', 'Finish'),
    fc.string({ unit: nameChar, minLength: 60, maxLength: 100 }),
  )
  .filter((n) => !n.startsWith('{%'));

const actionsArb = fc
  .uniqueArray(fc.record({ name, runOrder: fc.integer({ min: 1, max: 4 }) }), {
    minLength: 1,
    maxLength: 4,
    selector: (a) => a.name,
  })
  .map((list) =>
    list.map(
      (a): Action => ({
        name: a.name,
        actionTypeId: { category: 'Invoke', owner: 'AWS', provider: 'Lambda', version: '1' },
        runOrder: a.runOrder,
        configuration: {},
        inputArtifacts: [],
        outputArtifacts: [],
      }),
    ),
  );

const pipelineArb = fc
  .uniqueArray(fc.record({ name, actions: actionsArb }), {
    minLength: 1,
    maxLength: 5,
    selector: (s) => s.name,
  })
  .map(
    (stages: Stage[]): Pipeline => ({
      name: 'prop',
      executionMode: 'SUPERSEDED',
      pipelineType: 'V2',
      variables: [],
      triggers: [],
      stages,
    }),
  );

/** Each scope (top level, each Parallel branch) with its states. */
function scopes(states: Record<string, AslState>): Record<string, AslState>[] {
  return [
    states,
    ...Object.values(states).flatMap((s) =>
      s.Type === 'Parallel' ? s.Branches.flatMap((b) => scopes(b.States)) : [],
    ),
  ];
}

function targets(state: AslState): string[] {
  const out: string[] = [];
  if ('Next' in state && state.Next !== undefined) out.push(state.Next);
  if (state.Type === 'Choice') out.push(state.Default, ...state.Choices.map((c) => c.Next));
  if ((state.Type === 'Task' || state.Type === 'Parallel') && state.Catch)
    out.push(...state.Catch.map((c) => c.Next));
  return out;
}

describe('compilePipeline (property)', () => {
  // asl-validator rebuilds its JSON schemas on every call (~150 ms), so it gets fewer runs.
  it('compiles every small valid pipeline into a definition asl-validator accepts', () => {
    fc.assert(
      fc.property(pipelineArb, (pipeline) => {
        const result = aslValidator(JSON.parse(JSON.stringify(compilePipeline(pipeline, OPTIONS))));
        expect(result.errorsText('\n')).toBe('');
        expect(result.isValid).toBe(true);
      }),
      { numRuns: 40 },
    );
  }, 60_000);

  it('compiles every small valid pipeline into a complete, deterministic definition', () => {
    fc.assert(
      fc.property(pipelineArb, (pipeline) => {
        const definition = compilePipeline(pipeline, OPTIONS);

        // Every Next/Default/Catch target exists in its scope; names are unique and ≤ 80 chars.
        const all = scopes(definition.States);
        const names = all.flatMap((s) => Object.keys(s));
        expect(new Set(names).size).toBe(names.length);
        for (const n of names) expect(Array.from(n).length).toBeLessThanOrEqual(80);
        for (const scope of all) {
          for (const state of Object.values(scope))
            for (const t of targets(state)) expect(scope).toHaveProperty([t]);
        }

        // Every action has exactly one Task.
        const actionTasks = all
          .flatMap((s) => Object.values(s))
          .flatMap((s) => (s.Type === 'Task' ? [s.Arguments.Payload as Record<string, unknown>] : []))
          .filter((p) => p.kind === 'action')
          .map((p) => JSON.stringify([p.stage, p.action]));
        const expected = pipeline.stages.flatMap((st) =>
          st.actions.map((a) => JSON.stringify([st.name, a.name])),
        );
        expect(actionTasks.sort()).toEqual(expected.sort());

        // Deterministic.
        expect(JSON.stringify(compilePipeline(structuredClone(pipeline), OPTIONS))).toBe(
          JSON.stringify(definition),
        );
      }),
      { numRuns: 500 },
    );
  });
});
