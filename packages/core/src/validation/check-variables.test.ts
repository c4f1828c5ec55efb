import { describe, expect, it } from 'vitest';
import { actionAt, codes, messagesOf, validate, validPipeline } from './test-pipeline.test-helper.ts';

describe('checkVariables', () => {
  it('accepts references to earlier namespaces, pipeline variables and the execution id', () => {
    const p = validPipeline();
    actionAt(p, 3).configuration.ObjectKey =
      '#{SourceVariables.CommitId}/#{BuildVariables.IMAGE_TAG}/#{codepipeline.PipelineExecutionId}';
    expect(codes(p)).toEqual([]);
  });

  it('rejects undeclared pipeline variables with a suggestion', () => {
    const p = validPipeline();
    actionAt(p, 1).commands = ['deploy #{variables.Env}'];
    expect(messagesOf(p, 'unknown-pipeline-variable')).toEqual([
      'stages/1/actions/0/commands/0: #{variables.Env}: pipeline variable "Env" is not declared; did you mean "env"? declare it under variables (declared: env)',
    ]);
  });

  it('allows only PipelineExecutionId in the codepipeline namespace', () => {
    const p = validPipeline();
    actionAt(p, 1).commands = ['echo #{codepipeline.PipelineName}'];
    expect(codes(p)).toEqual(['unknown-codepipeline-variable']);
  });

  it('names the available namespaces for an unknown one', () => {
    const p = validPipeline();
    actionAt(p, 3).configuration.ObjectKey = '#{Build.IMAGE_TAG}';
    expect(messagesOf(p, 'unknown-namespace')).toEqual([
      'stages/3/actions/0/configuration/ObjectKey: #{Build.IMAGE_TAG}: no earlier action has namespace "Build"; did you mean "BuildVariables"? namespaces available here: SourceVariables and BuildVariables',
    ]);
  });

  it('rejects a namespace of a later action and of the action itself', () => {
    const p = validPipeline();
    actionAt(p, 0).configuration.BranchName = '#{BuildVariables.IMAGE_TAG}';
    actionAt(p, 1).commands = ['echo #{BuildVariables.IMAGE_TAG}'];
    expect(messagesOf(p, 'namespace-runs-later')).toEqual([
      'stages/0/actions/0/configuration/BranchName: #{BuildVariables.IMAGE_TAG}: namespace "BuildVariables" belongs to stages[1].actions[0] (Compile), which runs later; reference it only from actions that run after it',
      'stages/1/actions/0/commands/0: #{BuildVariables.IMAGE_TAG}: namespace "BuildVariables" is this action\'s own namespace; an action cannot read its own output variables',
    ]);
  });

  it('checks variable names against closed lists and declared outputVariables', () => {
    const p = validPipeline();
    actionAt(p, 3).configuration.ObjectKey = '#{SourceVariables.Commit}-#{BuildVariables.IMAGE}';
    expect(messagesOf(p, 'unknown-output-variable')).toEqual([
      'stages/3/actions/0/configuration/ObjectKey: #{SourceVariables.Commit}: Source/Git action "Checkout" does not export "Commit"; did you mean "CommitId"? it exports AuthorDate, BranchName, CommitId, CommitMessage, CommitterDate and RepositoryName',
      'stages/3/actions/0/configuration/ObjectKey: #{BuildVariables.IMAGE}: Build/Commands action "Compile" does not export "IMAGE"; did you mean "IMAGE_TAG"? it exports IMAGE_TAG (declare more in its outputVariables)',
    ]);
  });

  it('accepts any variable of providers with open outputs (Lambda, CodeBuild)', () => {
    const p = validPipeline();
    const compile = actionAt(p, 1);
    compile.actionTypeId.provider = 'CodeBuild';
    compile.configuration = { ProjectName: 'web' };
    compile.commands = undefined;
    compile.outputVariables = undefined;
    actionAt(p, 3).configuration.ObjectKey = '#{BuildVariables.ANYTHING}';
    expect(codes(p)).toEqual([]);
  });

  it('reports malformed references', () => {
    const p = validPipeline();
    actionAt(p, 1).environmentVariables = [{ name: 'X', value: '#{noDot}', type: 'PLAINTEXT' }];
    expect(codes(p)).toEqual(['malformed-variable-reference']);
  });

  it('skips unresolved paths', () => {
    const p = validPipeline();
    actionAt(p, 1).commands = ['echo #{Nope.X}'];
    expect(codes(p)).toEqual(['unknown-namespace']);
    expect(validate(p, [['stages', 1, 'actions', 0, 'commands']])).toEqual([]);
  });
});
