import { describe, expect, it } from 'vitest';
import { actionAt, codes, messagesOf, validPipeline } from './test-pipeline.test-helper.ts';

describe('checkNames', () => {
  it('rejects a pipeline name with characters outside [A-Za-z0-9.@-_]', () => {
    const p = validPipeline();
    p.name = 'web app';
    expect(messagesOf(p, 'invalid-pipeline-name')).toEqual([
      'name: pipeline name "web app" contains " "; use only letters, digits, ., @, - and _',
    ]);
  });

  it('rejects names longer than 100 characters', () => {
    const p = validPipeline();
    (p.stages[1] as { name: string }).name = 's'.repeat(101);
    expect(messagesOf(p, 'invalid-stage-name')).toEqual([
      `stages/1/name: stage name "${'s'.repeat(101)}" is 101 characters long; shorten it to at most 100`,
    ]);
  });

  it('rejects an empty action name', () => {
    const p = validPipeline();
    actionAt(p, 1).name = '';
    expect(codes(p)).toContain('invalid-action-name');
  });

  it('rejects artifact names with dots but accepts them in action names', () => {
    const p = validPipeline();
    actionAt(p, 1).name = 'build.v2';
    actionAt(p, 1).outputArtifacts = [{ name: 'Build.Out' }];
    expect(codes(p)).toEqual(expect.arrayContaining(['invalid-artifact-name']));
    expect(codes(p)).not.toContain('invalid-action-name');
  });

  it('reports duplicate stage names at the second occurrence', () => {
    const p = validPipeline();
    (p.stages[2] as { name: string }).name = 'Build';
    expect(messagesOf(p, 'duplicate-stage-name')).toEqual([
      'stages/2/name: stage name "Build" is already used by stages[1]; stage names must be unique in a pipeline: rename one',
    ]);
  });

  it('reports duplicate action names within a stage only', () => {
    const p = validPipeline();
    actionAt(p, 3).name = 'Compile';
    expect(codes(p)).not.toContain('duplicate-action-name');
    p.stages[1]?.actions.push({ ...actionAt(p, 1), outputArtifacts: [], namespace: undefined });
    expect(codes(p)).toContain('duplicate-action-name');
  });

  it('reports duplicate namespaces across the pipeline', () => {
    const p = validPipeline();
    actionAt(p, 1).namespace = 'SourceVariables';
    expect(messagesOf(p, 'duplicate-namespace')).toEqual([
      'stages/1/actions/0/namespace: namespace "SourceVariables" is already used by stages[0].actions[0]; namespaces must be unique in the pipeline: rename one',
    ]);
  });

  it('checks pipeline variable names, defaults, descriptions and duplicates', () => {
    const p = validPipeline();
    p.variables = [
      { name: 'my var', defaultValue: 'x' },
      { name: 'env', defaultValue: 'x'.repeat(1001), description: 'd'.repeat(201) },
      { name: 'env' },
    ];
    expect(codes(p)).toEqual([
      'duplicate-variable-name',
      'invalid-variable-name',
      'invalid-variable-default',
      'invalid-variable-description',
    ]);
  });

  it('validates role ARNs on the pipeline and actions', () => {
    const p = validPipeline();
    p.roleArn = 'arn:aws:iam::123456789012:role/pipeline';
    expect(codes(p)).toEqual([]);
    actionAt(p, 3).roleArn = 'arn:aws:iam::12:role/x';
    expect(codes(p)).toEqual(['invalid-role-arn']);
  });
});
