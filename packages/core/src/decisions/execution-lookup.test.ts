import { describe, expect, it } from 'vitest';
import { begin, INTO_BUILD, viewOf, X } from './decisions.fixtures.ts';
import { replyFor, visibleVariables } from './index.ts';

describe('visibleVariables', () => {
  it('lists the execution id, pipeline variables and completed namespaces', () => {
    expect(visibleVariables(viewOf(INTO_BUILD))).toEqual({
      'codepipeline.PipelineExecutionId': X,
      'variables.ENV': 'prod',
      'SourceVariables.CommitId': '4f2a9c1',
    });
  });
});

describe('replyFor', () => {
  it('has no reply for an attempt in progress or unknown', () => {
    const view = viewOf([...INTO_BUILD, begin('Build', 'Compile')]);
    expect(replyFor(view.stages[1]?.actions[0]?.attempts[0])).toBeUndefined();
    expect(replyFor(undefined)).toBeUndefined();
  });
});
