/**
 * Builders of small pipelines of fake actions, for tests in every package
 * (`@pipewright/core/testing`; not part of the main entry point).
 *
 * @example
 * ```ts
 * import { fakeAction, testPipeline } from '@pipewright/core/testing';
 * const p = testPipeline([{ name: 'Build', actions: [fakeAction('Make')] }], { executionMode: 'QUEUED' });
 * ```
 */
import type { Action, ActionCategory, Pipeline, Stage } from '../model/pipeline.ts';

/**
 * An action of type `<category>/AWS/Fake/1` (`Approval/AWS/Manual/1` for approvals), run order
 * 1, no configuration and no artifacts; `extra` overrides any field.
 *
 * @example
 * ```ts
 * fakeAction('Release', 'Approval', { configuration: { CustomData: 'look' } });
 * ```
 */
export function fakeAction(
  name: string,
  category: ActionCategory = 'Build',
  extra: Partial<Action> = {},
): Action {
  return {
    name,
    actionTypeId: {
      category,
      owner: 'AWS',
      provider: category === 'Approval' ? 'Manual' : 'Fake',
      version: '1',
    },
    runOrder: 1,
    configuration: {},
    inputArtifacts: [],
    outputArtifacts: [],
    ...extra,
  };
}

/**
 * A V2 pipeline `p` (PARALLEL, no variables, no triggers) of `stages`; `extra` overrides any field.
 *
 * @example
 * ```ts
 * testPipeline([{ name: 'Build', actions: [fakeAction('Make')] }], { name: 'ops', executionMode: 'QUEUED' });
 * ```
 */
export function testPipeline(stages: Stage[], extra: Partial<Pipeline> = {}): Pipeline {
  return {
    name: 'p',
    executionMode: 'PARALLEL',
    pipelineType: 'V2',
    variables: [],
    triggers: [],
    stages,
    ...extra,
  };
}
