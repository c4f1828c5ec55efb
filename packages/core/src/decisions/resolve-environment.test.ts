import { describe, expect, it } from 'vitest';
import { pipelineExecutionStarted } from '../events/execution-events.ts';
import type { Pipeline } from '../model/pipeline.ts';
import { foldExecution } from '../projections/fold-execution.ts';
import { decideAction } from './decide-action.ts';

const at = '2026-01-02T03:04:05.000Z';

const pipeline: Pipeline = {
  name: 'p',
  executionMode: 'QUEUED',
  pipelineType: 'V2',
  variables: [{ name: 'MESSAGE', defaultValue: 'x' }],
  triggers: [],
  stages: [
    {
      name: 'Build',
      actions: [
        {
          name: 'Package',
          actionTypeId: { category: 'Build', owner: 'AWS', provider: 'CodeBuild', version: '1' },
          runOrder: 1,
          configuration: {
            ProjectName: 'p-#{variables.MESSAGE}',
            EnvironmentVariables: '[{"name":"MSG","value":"says #{variables.MESSAGE}","type":"PLAINTEXT"}]',
          },
          inputArtifacts: [],
          outputArtifacts: [],
        },
      ],
    },
  ],
};

function viewWith(message: string) {
  const started = pipelineExecutionStarted({
    executionId: 'e1',
    at,
    pipelineName: 'p',
    pipelineExecutionId: 'e1',
    pipelineVersion: 1,
    executionMode: 'QUEUED',
    executionType: 'STANDARD',
    trigger: { triggerType: 'StartPipelineExecution' },
    variables: [{ name: 'MESSAGE', resolvedValue: message }],
    sourceRevisions: [],
  });
  return foldExecution([{ ...started, seq: 1 }], pipeline);
}

describe('decideAction', () => {
  it('resolves CodeBuild EnvironmentVariables value by value, keeping the JSON valid', () => {
    // Prepare: a value with a quote, a backslash and a reference-looking text.
    const message = 'say "hi" \\ #{not.a.ref}';
    // Act
    const decision = decideAction(
      viewWith(message),
      pipeline,
      {
        kind: 'action',
        pipeline: 'p',
        executionId: 'e1',
        stage: 'Build',
        action: 'Package',
        attempt: 0,
        taskToken: 't',
      },
      { at, running: new Set() },
    );
    // Assess
    const config = decision.run?.action.configuration ?? {};
    expect(JSON.parse(config.EnvironmentVariables ?? '')).toEqual([
      { name: 'MSG', value: `says ${message}`, type: 'PLAINTEXT' },
    ]);
    expect(config.ProjectName).toBe(`p-${message}`);
  });
});
