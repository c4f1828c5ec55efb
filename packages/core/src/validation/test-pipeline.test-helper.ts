import type { Diagnostic } from '../model/diagnostic.ts';
import type { Action, Pipeline } from '../model/pipeline.ts';
import { EMPTY_SOURCE_MAP } from '../model/source-map.ts';
import { validatePipeline } from './validate-pipeline.ts';

/**
 * A small valid V2 pipeline (Git source → Commands build → approval → S3 deploy) for rule tests.
 *
 * @example
 * ```ts
 * const p = validPipeline();
 * p.stages[1]!.actions[0]!.runOrder = 0;
 * codes(p); // ['invalid-run-order']
 * ```
 */
export function validPipeline(): Pipeline {
  const action = (a: Partial<Action> & Pick<Action, 'name' | 'actionTypeId'>): Action => ({
    runOrder: 1,
    configuration: {},
    inputArtifacts: [],
    outputArtifacts: [],
    ...a,
  });
  return {
    name: 'web-app',
    executionMode: 'SUPERSEDED',
    pipelineType: 'V2',
    variables: [{ name: 'env', defaultValue: 'staging' }],
    triggers: [],
    stages: [
      {
        name: 'Source',
        actions: [
          action({
            name: 'Checkout',
            actionTypeId: { category: 'Source', owner: 'AWS', provider: 'Git', version: '1' },
            configuration: { RepositoryUrl: '.', BranchName: 'main' },
            outputArtifacts: [{ name: 'SourceOutput' }],
            namespace: 'SourceVariables',
          }),
        ],
      },
      {
        name: 'Build',
        actions: [
          action({
            name: 'Compile',
            actionTypeId: { category: 'Build', owner: 'AWS', provider: 'Commands', version: '1' },
            inputArtifacts: [{ name: 'SourceOutput' }],
            outputArtifacts: [{ name: 'BuildOutput' }],
            commands: ['npm ci', 'npm run build'],
            namespace: 'BuildVariables',
            outputVariables: ['IMAGE_TAG'],
          }),
        ],
      },
      {
        name: 'Approve',
        actions: [
          action({
            name: 'Release',
            actionTypeId: { category: 'Approval', owner: 'AWS', provider: 'Manual', version: '1' },
          }),
        ],
      },
      {
        name: 'Deploy',
        actions: [
          action({
            name: 'Upload',
            actionTypeId: { category: 'Deploy', owner: 'AWS', provider: 'S3', version: '1' },
            configuration: { BucketName: 'web-app-#{variables.env}', Extract: 'true' },
            inputArtifacts: [{ name: 'BuildOutput' }],
          }),
        ],
      },
    ],
  };
}

/** Validates a model built in code (no source map). */
export function validate(pipeline: Pipeline, unresolved: (string | number)[][] = []): Diagnostic[] {
  return validatePipeline({ pipeline, format: 'native', sourceMap: EMPTY_SOURCE_MAP, unresolved });
}

/** The codes of the diagnostics of `pipeline`. */
export function codes(pipeline: Pipeline): string[] {
  return validate(pipeline).map((d) => d.code);
}

/** `path: message` of every diagnostic with `code`. */
export function messagesOf(pipeline: Pipeline, code: string): string[] {
  return validate(pipeline)
    .filter((d) => d.code === code)
    .map((d) => `${d.path.join('/')}: ${d.message}`);
}

/** The action at stage `s`, index `a` (throws when missing, so tests fail loudly). */
export function actionAt(p: Pipeline, s: number, a = 0): Action {
  const action = p.stages[s]?.actions[a];
  if (action === undefined) throw new Error(`no action at stages[${s}].actions[${a}]`);
  return action;
}
